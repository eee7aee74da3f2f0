"""`sales-agent serve` on a free port, driven by langgraph-sdk exactly as an integrator would."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient

TRIGGER = {"trigger": {"source": "gmail", "gmail_thread_id": "thr-northwind-001"}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(
    database_url: str,
    cli_env: Callable[..., dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    port = free_port()
    env = cli_env(DATABASE_URL=database_url)
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sales_agent", "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=Path(log).parent,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"serve never became ready:\n{log.read_text()}")


@pytest.fixture(scope="module")
def client(server_url: str) -> SyncLangGraphClient:
    return get_sync_client(url=server_url, api_key=None)


def test_health_and_ready(server_url: str) -> None:
    assert httpx.get(f"{server_url}/health").json() == {"status": "ok"}
    assert httpx.get(f"{server_url}/ready").json() == {"status": "ready"}


def test_sdk_runs_a_follow_up_to_its_interrupt_and_resumes_it(
    client: SyncLangGraphClient,
) -> None:
    [assistant] = client.assistants.search(graph_id="followup")
    assert assistant["graph_id"] == "followup"
    assert client.assistants.get(assistant["assistant_id"])["name"] == "followup"

    thread = client.threads.create(metadata={"purpose": "sdk-test"})
    waiting = client.runs.wait(
        thread["thread_id"],
        assistant["assistant_id"],
        input=TRIGGER,
        context={"now": "2026-12-01T08:00:00+00:00"},
    )
    assert isinstance(waiting, dict)
    [interrupt] = waiting["__interrupt__"]
    [request] = interrupt["value"]
    assert request["action_request"]["action"] == "approve_gmail_draft"
    assert request["action_request"]["args"]["to"] == ["priya@northwind-logistics.example"]

    state = client.threads.get_state(thread["thread_id"])
    assert state["next"] == ["await_approval"]
    # The context's clock reached the nodes: the first slot is the next business morning.
    assert state["values"]["slots"][0]["start"].startswith("2026-12-02")
    assert state["interrupts"][0]["value"] == interrupt["value"]
    assert state["values"]["gmail_draft_id"] == request["action_request"]["args"]["gmail_draft_id"]
    assert client.threads.get(thread["thread_id"])["status"] == "interrupted"

    done = client.runs.wait(
        thread["thread_id"],
        "followup",
        command={"resume": [{"type": "accept", "args": None}]},
    )
    assert isinstance(done, dict)
    assert done["outcome"] == "APPROVED"
    assert "__interrupt__" not in done
    finished = client.threads.get(thread["thread_id"])
    assert finished["status"] == "idle"
    assert finished["metadata"] == {"purpose": "sdk-test"}


def test_bad_requests_get_clear_json_errors(server_url: str, client: SyncLangGraphClient) -> None:
    thread = client.threads.create()
    runs = f"{server_url}/threads/{thread['thread_id']}/runs/wait"

    bad_trigger = {"assistant_id": "followup", "input": {"trigger": {"source": "gmail"}}}
    response = httpx.post(runs, json=bad_trigger)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "gmail_thread_id" in response.json()["message"]

    bad_resume = {"assistant_id": "followup", "command": {"resume": {"type": "send_now"}}}
    response = httpx.post(runs, json=bad_resume)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_resume")

    bad_context = {"assistant_id": "followup", "input": TRIGGER, "context": {"now": "soon"}}
    response = httpx.post(runs, json=bad_context)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_context")

    response = httpx.post(runs, content=b"{not json", headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_request")

    response = httpx.post(f"{server_url}/threads/nope/runs/wait", json={"assistant_id": "x"})
    assert (response.status_code, response.json()["code"]) == (404, "assistant_not_found")

    response = httpx.get(f"{server_url}/threads/does-not-exist")
    assert (response.status_code, response.json()["code"]) == (404, "thread_not_found")

    response = httpx.post(f"{server_url}/threads", json={"thread_id": thread["thread_id"]})
    assert (response.status_code, response.json()["code"]) == (409, "thread_exists")
