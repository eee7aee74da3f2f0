"""Agent Chat UI, scaffolded by `create-agent-chat-app` from npm, in Chromium against `serve`.

The scaffolded app (never committed; kept in the node-clients cache between runs) runs on
Vite's dev server. Pointed at a live `serve` it connects (`/info`, with our key) and lists
the follow-up threads. It cannot show their approval request: its message view reads the
last chat message's id, and a follow-up thread has no chat messages, so the page throws
when a waiting thread opens (against any Agent Server; docs/STUDIO.md). The approval
itself is proved with the JS SDK the app is built on (tests/e2e/test_js_sdk.py).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from langgraph_sdk import get_sync_client
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


def test_agent_chat_ui_connects_and_lists_the_follow_up_threads(
    services: Services, server: str, chat_ui: str, page: Page
) -> None:
    key = operator_key(services)
    client = get_sync_client(url=server, api_key=key)
    thread_id = client.threads.create()["thread_id"]
    client.runs.wait(thread_id, "followup", input=TRIGGER, context=CONTEXT)

    page.add_init_script(f"window.localStorage.setItem('lg:chat:apiKey', {key!r});")
    page.goto(f"{chat_ui}/?apiUrl={server}&assistantId=followup&chatHistoryOpen=true")
    # The thread list: our run tagged the thread with its graph, which the app searches by.
    expect(page.get_by_text(thread_id).first).to_be_visible(timeout=120_000)
    # Connected: no connection form and no failure notice (the app shows both on errors).
    expect(page.get_by_label("Deployment URL")).to_have_count(0)
    expect(page.get_by_text("Failed to connect")).to_have_count(0)
    assert client.threads.get(thread_id)["status"] == "interrupted"
