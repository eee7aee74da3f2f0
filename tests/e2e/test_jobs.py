"""Background runs through a real procrastinate worker on the module's database."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import Any

import httpx
import pytest
from procrastinate.exceptions import AlreadyEnqueued

from sales_agent.connectors.breaker import breaker_for
from sales_agent.domain import Trigger
from sales_agent.domain.approval import InvalidResumeError
from sales_agent.jobs.enqueue import enqueue_followup, enqueue_index, enqueue_resume
from sales_agent.jobs.run_rows import get_run
from sales_agent.jobs.worker import run_worker
from sales_agent.services import Services
from sales_agent.trace import trace_scope

ACCEPT = {"type": "accept", "args": None}
TRIGGER = Trigger(source="gmail", gmail_thread_id="thr-northwind-001")


def start_worker(services: Services) -> Callable[[], None]:
    """Run a worker on its own event loop thread; the returned call stops it gracefully."""
    loop = asyncio.new_event_loop()
    task = loop.create_task(run_worker(services, install_signal_handlers=False))
    thread = threading.Thread(target=loop.run_until_complete, args=[_quiet(task)])
    thread.start()

    def stop() -> None:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout=30)

    return stop


async def _quiet(task: asyncio.Task[None]) -> None:
    with suppress(asyncio.CancelledError):
        await task


@pytest.fixture
def worker(fresh: Services) -> Iterator[Services]:
    """An in-process worker for the test, stopped at its end."""
    stop = start_worker(fresh)
    yield fresh
    stop()


def wait_for(services: Services, run_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with services.pool.connection() as conn:
            row = get_run(conn, run_id=run_id)
        assert row is not None
        if row["status"] not in ("pending", "running"):
            return dict(row)
        time.sleep(0.1)
    pytest.fail(f"run {run_id} still {row['status']} after {timeout}s")


def test_enqueued_followup_runs_to_its_interrupt_then_resumes(worker: Services) -> None:
    with trace_scope("trace-webhook-1"):  # as a request's trace would be
        run_id = enqueue_followup(worker, TRIGGER, metadata={"source": "test"})
    with worker.pool.connection() as conn:
        row = get_run(conn, run_id=run_id)
    assert row is not None and row["job_id"] is not None
    assert (row["trace_id"], row["metadata"]) == ("trace-webhook-1", {"source": "test"})
    assert row["thread_id"] == "gmail:thr-northwind-001"
    done = wait_for(worker, run_id)
    assert (done["status"], done["error"], done["attempts"]) == ("interrupted", None, 1)

    resumed = wait_for(worker, enqueue_resume(worker, done["thread_id"], [ACCEPT]))
    assert resumed["status"] == "success"
    with worker.pool.connection() as conn:
        [draft] = conn.execute("SELECT status FROM drafts WHERE thread_id = %s", [row["thread_id"]])
    assert draft["status"] == "approved"


def test_a_bad_resume_is_refused_before_anything_is_queued(fresh: Services) -> None:
    with fresh.pool.connection() as conn:
        before = conn.execute("SELECT count(*) AS n FROM runs").fetchone()
    with pytest.raises(InvalidResumeError):
        enqueue_resume(fresh, "gmail:thr-northwind-001", {"type": "send_now"})
    with fresh.pool.connection() as conn:
        after = conn.execute("SELECT count(*) AS n FROM runs").fetchone()
    assert before == after


def test_a_transient_failure_is_retried_and_the_run_completes(worker: Services) -> None:
    assert worker.sandbox_url is not None
    # Four 503s exhaust the connector's own retries once: the first attempt of the job fails.
    fault = {"route": "threads/thr-northwind-001", "status": 503, "count": 4}
    httpx.post(f"{worker.sandbox_url}/_sandbox/faults", json=fault).raise_for_status()
    done = wait_for(worker, enqueue_followup(worker, TRIGGER), timeout=90)
    assert (done["status"], done["attempts"]) == ("interrupted", 2), done
    with worker.pool.connection() as conn:
        drafts = conn.execute("SELECT count(*) AS n FROM drafts").fetchone()
    assert drafts == {"n": 1}


def test_a_run_that_cannot_succeed_shows_its_error(worker: Services) -> None:
    done = wait_for(worker, enqueue_resume(worker, "manual:nobody@example.com", [ACCEPT]))
    assert done["status"] == "error"
    assert "not waiting for a decision" in done["error"]
    assert done["attempts"] == 1


def wait_for_job(services: Services, job_id: int, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    status = "todo"
    while time.monotonic() < deadline:
        with services.pool.connection() as conn:
            row = conn.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id])
            status = row.fetchone()["status"]  # type: ignore[index]
        if status not in ("todo", "doing"):
            return str(status)
        time.sleep(0.1)
    pytest.fail(f"job {job_id} still {status} after {timeout}s")


def test_indexing_runs_as_a_job_and_waits_once_in_the_queue(fresh: Services) -> None:
    # No worker yet: a second request for the same index joins the one already queued.
    job_id = enqueue_index(fresh, "drive")
    with pytest.raises(AlreadyEnqueued):
        enqueue_index(fresh, "drive")
    with fresh.pool.connection() as conn:
        conn.execute("DELETE FROM drive_index_files")
    stop = start_worker(fresh)
    try:
        assert wait_for_job(fresh, job_id) == "succeeded"
    finally:
        stop()
    with fresh.pool.connection() as conn:
        indexed = conn.execute("SELECT count(*) AS n FROM drive_index_files").fetchone()
    assert indexed is not None and indexed["n"] > 0


def test_the_expiry_job_withdraws_a_stale_approval_under_the_threads_lock(
    worker: Services,
) -> None:
    from datetime import UTC, datetime, timedelta

    from sales_agent.jobs.enqueue import defer_task
    from sales_agent.jobs.thread_lock import hold_thread

    waiting = wait_for(worker, enqueue_followup(worker, TRIGGER))
    assert waiting["status"] == "interrupted"
    later = datetime.now(UTC) + timedelta(hours=worker.settings.approval_ttl_hours + 1)

    def expire_and_wait() -> None:
        job_id = defer_task(worker, "followup.expire_approvals", timestamp=int(later.timestamp()))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with worker.pool.connection() as conn:
                row = conn.execute(
                    "SELECT status FROM procrastinate_jobs WHERE id = %s", (job_id,)
                ).fetchone()
            if row is not None and row["status"] in ("succeeded", "failed"):
                assert row["status"] == "succeeded"
                return
            time.sleep(0.1)
        pytest.fail("the expiry job did not finish")

    def draft_status() -> str:
        with worker.pool.connection() as conn:
            row = conn.execute(
                "SELECT status FROM drafts WHERE thread_id = %s", (waiting["thread_id"],)
            ).fetchone()
        assert row is not None
        return str(row["status"])

    with hold_thread(worker, waiting["thread_id"]):  # a run holds the thread: left alone
        expire_and_wait()
        assert draft_status() == "pending_approval"
    expire_and_wait()
    assert draft_status() == "expired"


def test_a_run_that_fails_for_good_after_its_crm_writes_leaves_the_crm_true(
    worker: Services,
) -> None:
    assert worker.sandbox_url is not None
    # Gmail refuses every draft: the note and task are written, the draft never is.
    fault = {"route": "/drafts$", "status": 500, "count": 1000}
    httpx.post(f"{worker.sandbox_url}/_sandbox/faults", json=fault).raise_for_status()
    try:
        done = wait_for(worker, enqueue_followup(worker, TRIGGER), timeout=120)
    finally:
        httpx.delete(f"{worker.sandbox_url}/_sandbox/faults").raise_for_status()
        breaker_for("gmail").reset()  # the refusals opened the process-wide breaker
    assert done["status"] == "error", done

    with worker.pool.connection() as conn:
        [draft] = conn.execute("SELECT status, context FROM drafts").fetchall()
        failed = conn.execute(
            "SELECT metadata FROM audit_log WHERE action = 'run_failed'"
        ).fetchall()
    assert draft["status"] == "failed" and "gmail" in draft["context"]["error"]
    [event] = failed
    hubspot = worker.connectors.hubspot
    note = hubspot.get_note(event["metadata"]["crm_note_id"])
    assert "the run failed and no draft awaits approval" in note.body
    task = hubspot.get_task(event["metadata"]["crm_task_id"])
    assert task.status == "COMPLETED" and "the run failed" in (task.body or "")
