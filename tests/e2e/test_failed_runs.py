"""Failed runs are kept until handled: listed by the CLI and the admin API, retried once.

The live server's in-process worker executes the runs; the sandbox refuses every Gmail draft
so the first run fails for good, then accepts them so the retry reaches the approval.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from live_server import live_server
from sales_agent.domain import Trigger
from sales_agent.jobs.enqueue import enqueue_followup
from sales_agent.jobs.run_rows import get_run
from sales_agent.policy.api_keys import create_api_key
from sales_agent.services import Services

pytestmark = pytest.mark.slow

TRIGGER = Trigger(source="gmail", gmail_thread_id="thr-northwind-001")


@pytest.fixture(scope="module")
def api(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with services.pool.connection() as conn:
        key = create_api_key(conn, role="admin", name="runs-tests", actor="tests").key
    with (
        live_server(services, tmp_path_factory.mktemp("runs-api")) as url,
        httpx.Client(base_url=url, headers={"x-api-key": key}, timeout=60) as client,
    ):
        yield client


def wait_for(services: Services, run_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    status = "missing"
    while time.monotonic() < deadline:
        with services.pool.connection() as conn:
            row = get_run(conn, run_id=run_id)
        assert row is not None
        status = row["status"]
        if status not in ("pending", "running"):
            return dict(row)
        time.sleep(0.2)
    pytest.fail(f"run {run_id} still {status} after {timeout}s")


def test_a_failed_run_is_listed_until_retried_and_the_retry_reaches_the_approval(
    fresh: Services, api: httpx.Client, cli: Any
) -> None:
    sandbox = fresh.sandbox_url
    assert sandbox is not None
    fault = {"route": "/drafts$", "status": 500, "count": 1000}
    httpx.post(f"{sandbox}/_sandbox/faults", json=fault).raise_for_status()
    try:
        failed_id = enqueue_followup(fresh, TRIGGER)
        assert wait_for(fresh, failed_id)["status"] == "error"
    finally:
        httpx.delete(f"{sandbox}/_sandbox/faults").raise_for_status()

    listed = api.get("/api/admin/runs", params={"status": "error"})
    assert listed.status_code == 200, listed.text
    assert [run["run_id"] for run in listed.json()] == [failed_id]
    assert "gmail" in listed.json()[0]["error"].lower()
    assert failed_id in cli("runs", "failed").stdout

    retried = api.post(f"/api/admin/runs/{failed_id}/retry", json={"reason": "gmail is back"})
    assert retried.status_code == 202, retried.text
    retry_id = retried.json()["retry_run_id"]
    assert wait_for(fresh, retry_id)["status"] == "interrupted"
    with fresh.pool.connection() as conn:
        drafts = conn.execute("SELECT status FROM drafts ORDER BY revision").fetchall()
        event = conn.execute(
            "SELECT actor, reason, metadata FROM audit_log WHERE action = 'run_retried'"
        ).fetchone()
    assert drafts[-1]["status"] == "pending_approval"
    # The settlement told HubSpot the run failed; the retry takes that back.
    failed_event = _run_failed_event(fresh)
    hubspot = fresh.connectors.hubspot
    note = hubspot.get_note(failed_event["crm_note_id"])
    assert "the run failed" in note.body and "a draft now awaits approval" in note.body
    task = hubspot.get_task(failed_event["crm_task_id"])
    assert task.status == "NOT_STARTED" and "retried" in (task.body or "")
    assert event is not None and event["actor"] == "runs-tests"
    assert event["metadata"]["retry_run_id"] == retry_id and event["reason"] == "gmail is back"

    # Handled: no longer listed, and not retried twice.
    assert api.get("/api/admin/runs", params={"status": "error"}).json() == []
    assert "no failed runs waiting" in cli("runs", "failed").stdout
    again = api.post(f"/api/admin/runs/{failed_id}/retry")
    assert (again.status_code, again.json()["code"]) == (409, "run_not_retryable")
    unknown = api.post("/api/admin/runs/00000000-0000-0000-0000-000000000000/retry")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "run_not_found")
    refused = cli("runs", "retry", failed_id)
    assert refused.returncode == 2 and "handled already" in refused.stderr


def _run_failed_event(services: Services) -> dict[str, Any]:
    with services.pool.connection() as conn:
        row = conn.execute(
            "SELECT metadata FROM audit_log WHERE action = 'run_failed' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert row is not None
    metadata: dict[str, Any] = row["metadata"]
    return metadata


def test_the_runs_list_needs_status_error(api: httpx.Client) -> None:
    assert api.get("/api/admin/runs").status_code == 422
    assert api.get("/api/admin/runs", params={"status": "success"}).status_code == 422
