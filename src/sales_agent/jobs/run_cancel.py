"""Cancelling a run, wherever it executes: the request on its row, the stop, the rollback.

A cancel request is written on the run's row (`request_cancel`), so it reaches the run in
whichever process executes it: a worker, or the server streaming it. That process reads the
row at every step boundary of the graph (`stop_check`) and stops there; a queued run whose
job no worker has taken is settled at once, and a worker never starts a run with a request
on it. Then, as the Agent Server does:

- `interrupt`: the thread stays at the last checkpoint the run saved; the run is
  `interrupted`.
- `rollback`: the checkpoints the run wrote are deleted (with the writes it attached to the
  checkpoint it started from), so the thread is as it was before; the run row is deleted.

What a rollback cannot take back: a node's external side effects (a Gmail draft placed, a
CRM note). They are keyed by thread and draft revision, so a later run finds them instead of
making them twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sales_agent.jobs.enqueue import cancel_queued_job
from sales_agent.jobs.followup_runs import StopCheck, checkpointer
from sales_agent.jobs.run_rows import (
    CancelAction,
    cancel_requested,
    delete_run,
    finish_run,
    request_cancel,
)
from sales_agent.services import Services

__all__ = [
    "CancelOutcome",
    "RestorePoint",
    "cancel_run",
    "restore_point",
    "settle_cancel",
    "stop_check",
]

logger = logging.getLogger(__name__)

# The tables of langgraph-checkpoint-postgres. Checkpoint ids are uuid6 strings: they sort
# by creation time, so what a run wrote is exactly what sorts after where it started.
_LATEST = """
SELECT checkpoint_id FROM checkpoints WHERE thread_id = %(thread_id)s AND checkpoint_ns = ''
ORDER BY checkpoint_id DESC LIMIT 1
"""
_WRITES_AT = """
SELECT task_id || ':' || idx AS key FROM checkpoint_writes
WHERE thread_id = %(thread_id)s AND checkpoint_ns = '' AND checkpoint_id = %(checkpoint_id)s
"""
_DROP_LATER_WRITES = """
DELETE FROM checkpoint_writes WHERE thread_id = %(thread_id)s AND checkpoint_id > %(checkpoint_id)s
"""
_DROP_LATER_CHECKPOINTS = """
DELETE FROM checkpoints WHERE thread_id = %(thread_id)s AND checkpoint_id > %(checkpoint_id)s
"""
_DROP_NEW_WRITES_AT = """
DELETE FROM checkpoint_writes
WHERE thread_id = %(thread_id)s AND checkpoint_ns = '' AND checkpoint_id = %(checkpoint_id)s
  AND NOT (task_id || ':' || idx = ANY(%(kept)s))
"""
# Channel values no remaining checkpoint refers to (those the deleted checkpoints stored).
_DROP_ORPHAN_BLOBS = """
DELETE FROM checkpoint_blobs AS b WHERE b.thread_id = %(thread_id)s AND NOT EXISTS (
    SELECT 1 FROM checkpoints AS c
    WHERE c.thread_id = b.thread_id AND c.checkpoint_ns = b.checkpoint_ns
      AND c.checkpoint -> 'channel_versions' ->> b.channel = b.version)
"""


@dataclass(frozen=True)
class RestorePoint:
    """A thread's latest checkpoint before a run, and the writes already attached to it."""

    thread_id: str
    checkpoint_id: str | None
    writes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CancelOutcome:
    """What `cancel_run` found: whether the run was active, and whether it is settled now."""

    found: bool
    settled: bool


def restore_point(services: Services, thread_id: str) -> RestorePoint:
    """Where a rollback of the run about to start on `thread_id` would take the thread."""
    with services.pool.connection() as conn:
        row = conn.execute(_LATEST, {"thread_id": thread_id}).fetchone()
        if row is None:
            return RestorePoint(thread_id, None)
        params = {"thread_id": thread_id, "checkpoint_id": row["checkpoint_id"]}
        writes = tuple(found["key"] for found in conn.execute(_WRITES_AT, params))
    return RestorePoint(thread_id, row["checkpoint_id"], writes)


def _roll_back(services: Services, point: RestorePoint) -> None:
    """Delete what a run wrote to its thread's checkpoints since `point`."""
    if point.checkpoint_id is None:
        checkpointer(services).delete_thread(point.thread_id)  # the run made the thread
        return
    params = {
        "thread_id": point.thread_id,
        "checkpoint_id": point.checkpoint_id,
        "kept": list(point.writes),
    }
    with services.pool.connection() as conn, conn.transaction():
        for statement in (
            _DROP_LATER_WRITES,
            _DROP_LATER_CHECKPOINTS,
            _DROP_NEW_WRITES_AT,
            _DROP_ORPHAN_BLOBS,
        ):
            conn.execute(statement, params)


def stop_check(services: Services, run_id: str) -> StopCheck:
    """What a run asks at each step boundary: the cancel requested on its row, if any."""

    def requested() -> CancelAction | None:
        with services.pool.connection() as conn:
            return cancel_requested(conn, run_id=run_id)

    return requested


def settle_cancel(
    services: Services,
    run_id: str,
    action: CancelAction,
    point: RestorePoint | None = None,
) -> None:
    """Record a run stopped by a cancel; a rollback also undoes its checkpoints since `point`.

    `point` is None for a run that never started: there is nothing to undo.
    """
    if action == "rollback":
        if point is not None:
            _roll_back(services, point)
        with services.pool.connection() as conn:
            delete_run(conn, run_id=run_id)
    else:
        with services.pool.connection() as conn:
            finish_run(conn, run_id=run_id, status="interrupted", error="cancelled")
    logger.info("run %s cancelled (%s)", run_id, action)


def cancel_run(
    services: Services, thread_id: str, run_id: str, action: CancelAction
) -> CancelOutcome:
    """Ask an active run to stop; a queued run no worker has taken is settled here and now.

    A running run (or one a worker just took) settles itself at its next step boundary.
    """
    with services.pool.connection() as conn, conn.transaction():
        row = request_cancel(conn, run_id=run_id, thread_id=thread_id, action=action)
        if row is None:
            return CancelOutcome(found=False, settled=False)
        queued = row["status"] == "pending" and row["job_id"] is not None
        # Only a job still waiting is cancelled in the queue; one a worker fetched meanwhile
        # finds the request when it claims the run, and settles it without starting.
        settled = queued and cancel_queued_job(conn, row["job_id"])
    if settled:
        settle_cancel(services, run_id, action)
    return CancelOutcome(found=True, settled=settled)
