"""Cancelling background runs that a separate worker executes, with the official Python SDK.

`serve --no-worker` answers the SDK; one `sales-agent worker` running one job at a time
executes the runs. A sandbox latency fault holds a run inside a step (placing the Gmail
draft) while the test cancels it: the worker must stop at the next step boundary.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Literal

import httpx
import pytest
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient

from live_server import free_port, operator_key
from sales_agent.bench.processes import sales_agent_processes, wait_until_up
from sales_agent.services import Services

TRIGGER = {"trigger": {"source": "gmail", "gmail_thread_id": "thr-northwind-001"}}
CONTEXT = {"now": "2026-12-01T08:00:00+00:00"}


@pytest.fixture(scope="module")
def client(
    services: Services, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SyncLangGraphClient]:
    port = free_port()
    commands = [["serve", "--port", str(port), "--no-worker"], ["worker", "--concurrency", "1"]]
    workdir = tmp_path_factory.mktemp("procs")
    with sales_agent_processes(services, workdir, commands) as [serve, _]:
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{url}/ready", *serve)  # ready once the worker beats
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield get_sync_client(url=url, api_key=operator_key(services))


def _hold_the_draft_step(services: Services) -> str:
    """Make placing the next Gmail draft take 3 s; the fault's URL, to see when it is hit."""
    faults = f"{services.sandbox_url}/_sandbox/faults"
    slow = {"route": "/drafts$", "latency_ms": 3000, "count": 1}
    httpx.post(faults, json=slow).raise_for_status()
    return faults


def _wait_until_held(faults: str) -> None:
    deadline = time.monotonic() + 60
    while httpx.get(faults).json()["faults"][0]["hit"] == 0:
        assert time.monotonic() < deadline, "the run never reached Gmail drafts"
        time.sleep(0.05)


@pytest.mark.parametrize("action", ["interrupt", "rollback"])
def test_a_running_background_run_stops_at_its_next_step_boundary(
    fresh: Services, client: SyncLangGraphClient, action: Literal["interrupt", "rollback"]
) -> None:
    faults = _hold_the_draft_step(fresh)
    thread_id = client.threads.create()["thread_id"]
    run_id = client.runs.create(thread_id, "followup", input=TRIGGER, context=CONTEXT)["run_id"]
    _wait_until_held(faults)
    assert client.runs.get(thread_id, run_id)["status"] == "running"

    client.runs.cancel(thread_id, run_id, wait=True, action=action)

    state = client.threads.get_state(thread_id)
    if action == "interrupt":
        assert client.runs.get(thread_id, run_id)["status"] == "interrupted"
        # Stopped after the draft step, before the approval step: no interrupt was raised.
        assert (state["next"], state["interrupts"]) == (["await_approval"], [])
        # The thread is at a checkpoint it can go on from: a run with no input carries on.
        values = client.runs.wait(thread_id, "followup", input=None, context=CONTEXT)
        assert isinstance(values, dict)
        assert "__interrupt__" in values
    else:
        with pytest.raises(httpx.HTTPStatusError) as gone:
            client.runs.get(thread_id, run_id)
        assert gone.value.response.status_code == 404
        assert client.runs.list(thread_id) == []
        # Every checkpoint it wrote is gone: the thread is as before the run, empty.
        assert (state["values"], client.threads.get_history(thread_id)) == ({}, [])


def test_a_cancelled_queued_run_never_starts(fresh: Services, client: SyncLangGraphClient) -> None:
    faults = _hold_the_draft_step(fresh)
    busy = client.threads.create()["thread_id"]
    first = client.runs.create(busy, "followup", input=TRIGGER, context=CONTEXT)
    _wait_until_held(faults)  # the worker's only slot is taken: the next runs wait

    queued = [client.threads.create()["thread_id"] for _ in range(2)]
    kept, dropped = (client.runs.create(t, "followup", input=TRIGGER)["run_id"] for t in queued)
    assert client.runs.get(queued[0], kept)["status"] == "pending"
    client.runs.cancel(queued[0], kept, action="interrupt")
    client.runs.cancel(queued[1], dropped, action="rollback")

    # The worker takes jobs in order: a run queued after them runs only once they are past.
    client.runs.join(busy, first["run_id"])
    later = client.threads.create()["thread_id"]
    last = client.runs.create(later, "followup", input=TRIGGER, context=CONTEXT)
    assert "__interrupt__" in client.runs.join(later, last["run_id"])

    never = client.runs.get(queued[0], kept)
    assert (never["status"], never["attempts"]) == ("interrupted", 0)
    assert client.threads.get_history(queued[0]) == []
    assert client.runs.list(queued[1]) == []
    assert client.threads.get_history(queued[1]) == []


def test_rolling_back_a_resume_returns_the_thread_to_its_approval_request(
    fresh: Services, client: SyncLangGraphClient
) -> None:
    thread_id = client.threads.create()["thread_id"]
    client.runs.wait(thread_id, "followup", input=TRIGGER, context=CONTEXT)
    before = client.threads.get_state(thread_id)
    history = client.threads.get_history(thread_id, limit=100)
    # The operator's feedback re-drafts; updating the Gmail draft in place is held 3 s.
    faults = f"{fresh.sandbox_url}/_sandbox/faults"
    slow = {"route": "/drafts/[^/]+$", "latency_ms": 3000, "count": 1}
    httpx.post(faults, json=slow).raise_for_status()
    feedback = {"decisions": [{"type": "respond", "message": "Mention the Leeds site."}]}
    run = client.runs.create(thread_id, "followup", command={"resume": feedback})
    _wait_until_held(faults)

    client.runs.cancel(thread_id, run["run_id"], wait=True, action="rollback")

    # Only the first run is left: the rolled-back resume is deleted.
    [kept] = client.runs.list(thread_id)
    assert kept["run_id"] != run["run_id"]
    after = client.threads.get_state(thread_id)
    # The same checkpoint, with its interrupt still unanswered: the resume is gone too.
    assert after["checkpoint"] == before["checkpoint"]
    assert after["values"] == before["values"]
    assert after["interrupts"] == before["interrupts"]
    assert client.threads.get_history(thread_id, limit=100) == history
    approved = client.runs.wait(
        thread_id, "followup", command={"resume": {"decisions": [{"type": "approve"}]}}
    )
    assert isinstance(approved, dict)
    assert approved["outcome"] == "APPROVED"
