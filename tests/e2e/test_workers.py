"""Separate worker processes: readiness, queued runs, and a worker killed mid-run.

`serve --no-worker` and `sales-agent worker` processes share the module's database and
the module's sandbox (so every process sees the same Gmail).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient

from live_server import free_port, operator_key, server_env
from sales_agent.services import Services

TRIGGER = {"trigger": {"source": "gmail", "gmail_thread_id": "thr-northwind-001"}}

Spawn = Callable[..., subprocess.Popen[bytes]]


@pytest.fixture(scope="module")
def spawn(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Spawn]:
    """Start `sales-agent ARGS` on the module's database and sandbox; all stopped at the end."""
    logs = tmp_path_factory.mktemp("procs")
    env = server_env(services, logs / "data")
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        log = logs / f"{args[0]}-{len(started)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "sales_agent", *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=logs,
            )
        process.log = log  # type: ignore[attr-defined]
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def api_key(services: Services) -> str:
    return operator_key(services)


@pytest.fixture(scope="module")
def server_url(spawn: Spawn) -> str:
    port = free_port()
    process = spawn("serve", "--port", str(port), "--no-worker")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.log.read_text()  # type: ignore[attr-defined]
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail("serve never answered /health")


@pytest.fixture(scope="module")
def client(server_url: str, api_key: str) -> SyncLangGraphClient:
    return get_sync_client(url=server_url, api_key=api_key)


def start_worker(spawn: Spawn, server_url: str) -> subprocess.Popen[bytes]:
    """A worker that beats every second and requeues jobs of workers silent for 3 s."""
    process = spawn("worker", "--heartbeat", "1", "--stalled-after", "3")
    deadline = time.monotonic() + 60
    while httpx.get(f"{server_url}/ready").status_code != 200:
        assert process.poll() is None, process.log.read_text()  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "the worker never beat"
        time.sleep(0.2)
    return process


def test_ready_wants_a_worker_and_runs_wait_in_the_queue(
    server_url: str, api_key: str, client: SyncLangGraphClient
) -> None:
    response = httpx.get(f"{server_url}/ready")
    assert response.status_code == 503
    assert "worker" in response.json()

    thread = client.threads.create()
    run = client.runs.create(thread["thread_id"], "followup", input=TRIGGER)
    assert run["status"] == "pending"

    # One run at a time on a thread: a second one is refused while the first is queued.
    busy = httpx.post(
        f"{server_url}/threads/{thread['thread_id']}/runs/wait",
        json={"assistant_id": "followup", "input": TRIGGER},
        headers={"x-api-key": api_key},
    )
    assert (busy.status_code, busy.json()["code"]) == (409, "thread_busy")
    assert client.threads.get(thread["thread_id"])["status"] == "busy"

    client.runs.cancel(thread["thread_id"], run["run_id"])
    cancelled = client.runs.get(thread["thread_id"], run["run_id"])
    assert (cancelled["status"], cancelled["attempts"]) == ("interrupted", 0)
    assert [r["run_id"] for r in client.runs.list(thread["thread_id"])] == [run["run_id"]]


def gmail_drafts(services: Services) -> list[dict[str, object]]:
    url = f"{services.sandbox_url}/gmail/v1/users/me/drafts"
    drafts: list[dict[str, object]] = httpx.get(url).json().get("drafts", [])
    return drafts


def test_a_run_whose_worker_was_killed_resumes_on_another_worker(
    fresh: Services, spawn: Spawn, server_url: str, client: SyncLangGraphClient
) -> None:
    first = start_worker(spawn, server_url)
    # The draft's creation takes 6 s: the worker is killed while it waits for Gmail.
    slow = {"route": "/drafts$", "latency_ms": 6000, "count": 1}
    httpx.post(f"{fresh.sandbox_url}/_sandbox/faults", json=slow).raise_for_status()
    thread = client.threads.create()
    run = client.runs.create(thread["thread_id"], "followup", input=TRIGGER)

    deadline = time.monotonic() + 60
    faults = f"{fresh.sandbox_url}/_sandbox/faults"
    while httpx.get(faults).json()["faults"][0]["hit"] == 0:
        assert time.monotonic() < deadline, "the run never reached Gmail drafts"
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert client.runs.get(thread["thread_id"], run["run_id"])["status"] == "running"

    killed_at = time.monotonic()
    start_worker(spawn, server_url)
    values = client.runs.join(thread["thread_id"], run["run_id"])
    recovered_in = time.monotonic() - killed_at

    assert isinstance(values, dict)
    [interrupt] = values["__interrupt__"]
    finished = client.runs.get(thread["thread_id"], run["run_id"])
    assert (finished["status"], finished["attempts"], finished["error"]) == (
        "interrupted",
        2,
        None,
    )
    assert len(gmail_drafts(fresh)) == 1, gmail_drafts(fresh)
    with fresh.pool.connection() as conn:
        drafts = conn.execute("SELECT gmail_draft_id FROM drafts").fetchall()
    assert [d["gmail_draft_id"] for d in drafts] == [gmail_drafts(fresh)[0]["id"]]
    assert (
        interrupt["value"][0]["action_request"]["args"]["gmail_draft_id"]
        == drafts[0]["gmail_draft_id"]
    )
    assert recovered_in < 45
