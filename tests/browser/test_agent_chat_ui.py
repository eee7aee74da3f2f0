"""Agent Chat UI, scaffolded by `create-agent-chat-app` from npm, in Chromium against `serve`.

The scaffolded app (never committed; kept in the node-clients cache between runs) runs on
Vite's dev server. Pointed at a live `serve` it connects (`/info`, with our key), lists the
follow-up threads, opens a waiting one as a chat (the lead's message, the draft) with its
approval request, and approving there resumes the run: the inbox API then says approved.
The app `create-agent-chat-app` publishes acts on Agent Inbox's `HumanInterrupt` (our
default shape) and shows a `HITLRequest` read-only; docs/STUDIO.md says why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient
from playwright.sync_api import Page, expect

from live_server import free_port, live_server, operator_key
from node_clients import NODE, cache_root, npm
from sales_agent.services import Services

pytestmark = pytest.mark.slow

SCAFFOLDER = "create-agent-chat-app@0.1.6"
TRIGGER = {"trigger": {"source": "gmail", "gmail_thread_id": "thr-northwind-001"}}
CONTEXT = {"now": "2026-12-01T08:00:00+00:00"}


def _chat_ui() -> Path:
    """The scaffolded web app with its packages installed (once; then from the cache)."""
    folder = cache_root() / SCAFFOLDER.replace("@", "-")
    web = folder / "web"
    if (web / "node_modules" / ".bin" / "vite").exists():
        return web
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    npm(
        "npx", SCAFFOLDER, "--project-name", "ui", "--package-manager", "npm",
        "--framework", "vite", "--include-agent", "react", "--install-deps", "false",
        cwd=folder,
    )  # fmt: skip
    # Only the web app: the scaffold's sample agents (a workspace of their own) are not used.
    shutil.copytree(folder / "ui" / "apps" / "web", web)
    npm("install", "--no-audit", "--no-fund", "--loglevel=error", "--legacy-peer-deps", cwd=web)
    return web


@pytest.fixture(scope="module")
def chat_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Vite's dev server for the app on a free port; its base URL."""
    assert NODE is not None
    web = _chat_ui()
    port = free_port()
    log = tmp_path_factory.mktemp("chat-ui") / "vite.log"
    vite = web / "node_modules" / "vite" / "bin" / "vite.js"
    command = [NODE, str(vite), "--host", "127.0.0.1", "--port", str(port), "--strictPort"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=web, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the Agent Chat UI dev server did not start:\n{log.read_text()[-3000:]}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="module")
def server(
    services: Services, chat_ui: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    env = {"SALES_AGENT_CORS_ORIGINS": chat_ui}
    with live_server(services, tmp_path_factory.mktemp("serve"), env) as url:
        yield url


@pytest.fixture(scope="module")
def hitl_server(
    services: Services, chat_ui: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A second `serve` whose approval interrupts are `HITLRequest`s."""
    env = {"SALES_AGENT_CORS_ORIGINS": chat_ui, "SALES_AGENT_INTERRUPT_SHAPE": "hitl_request"}
    with live_server(services, tmp_path_factory.mktemp("serve-hitl"), env) as url:
        yield url


def _waiting_thread(client: SyncLangGraphClient) -> tuple[str, dict[str, Any]]:
    """A new thread run to its approval interrupt; its id and values."""
    thread_id = client.threads.create()["thread_id"]
    client.runs.wait(thread_id, "followup", input=TRIGGER, context=CONTEXT)
    return thread_id, client.threads.get_state(thread_id)["values"]


def _open_thread(page: Page, chat_ui: str, server: str, key: str, thread_id: str) -> None:
    page.add_init_script(f"window.localStorage.setItem('lg:chat:apiKey', {key!r});")
    page.goto(f"{chat_ui}/?apiUrl={server}&assistantId=followup&threadId={thread_id}")


def _expect_the_chat(page: Page, values: dict[str, Any]) -> None:
    """The thread reads as a chat: the lead's message as the reader summed it up, the draft."""
    expect(page.get_by_text(values["thread"]["summary"][:60]).first).to_be_visible(timeout=120_000)
    expect(page.get_by_text(values["draft"]["subject"]).first).to_be_visible()


def test_agent_chat_ui_connects_and_lists_the_follow_up_threads(
    services: Services, server: str, chat_ui: str, page: Page
) -> None:
    key = operator_key(services)
    client = get_sync_client(url=server, api_key=key)
    thread_id, values = _waiting_thread(client)

    page.add_init_script(f"window.localStorage.setItem('lg:chat:apiKey', {key!r});")
    page.goto(f"{chat_ui}/?apiUrl={server}&assistantId=followup&chatHistoryOpen=true")
    # The thread list: our run tagged the thread with its graph, which the app searches by;
    # the app titles a thread with its first message, the lead's.
    listed = page.get_by_role("button", name=values["thread"]["subject"])
    expect(listed.first).to_be_visible(timeout=120_000)
    expect(listed).to_have_count(len(client.threads.search(metadata={"graph_id": "followup"})))
    # Connected: no connection form and no failure notice (the app shows both on errors).
    expect(page.get_by_label("Deployment URL")).to_have_count(0)
    expect(page.get_by_text("Failed to connect")).to_have_count(0)
    # The newest thread comes first: opening it opens ours.
    listed.first.click()
    expect(page).to_have_url(re.compile(f"threadId={thread_id}"))
    assert client.threads.get(thread_id)["status"] == "interrupted"


def test_agent_chat_ui_approves_an_interrupted_follow_up(
    services: Services, server: str, chat_ui: str, page: Page
) -> None:
    key = operator_key(services)
    thread_id, values = _waiting_thread(get_sync_client(url=server, api_key=key))
    _open_thread(page, chat_ui, server, key, thread_id)
    _expect_the_chat(page, values)

    page.get_by_role("button", name="Accept", exact=True).click()

    draft_url = f"{server}/api/drafts/{values['draft_record_id']}"
    deadline = time.monotonic() + 60
    status = None
    while status != "approved" and time.monotonic() < deadline:
        time.sleep(0.25)
        status = httpx.get(draft_url, headers={"x-api-key": key}).json()["status"]
    assert status == "approved"
    client = get_sync_client(url=server, api_key=key)
    assert client.threads.get_state(thread_id)["values"]["outcome"] == "APPROVED"


def test_agent_chat_ui_shows_a_hitl_request_without_decision_buttons(
    services: Services, hitl_server: str, chat_ui: str, page: Page
) -> None:
    key = operator_key(services)
    client = get_sync_client(url=hitl_server, api_key=key)
    thread_id, values = _waiting_thread(client)
    [interrupt] = client.threads.get_state(thread_id)["interrupts"]
    assert interrupt["value"]["review_configs"][0]["action_name"] == "approve_gmail_draft"
    _open_thread(page, chat_ui, hitl_server, key, thread_id)
    _expect_the_chat(page, values)

    # The published app's generic interrupt view: the request's fields, no decision to take.
    expect(page.get_by_text("action_requests").first).to_be_visible()
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    assert client.threads.get(thread_id)["status"] == "interrupted"
