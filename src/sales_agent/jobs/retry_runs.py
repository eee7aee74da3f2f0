"""Failed runs, kept until someone handles them: list them, retry one.

A run that failed for good keeps its `runs` row (status `error`, with the error) for as
long as nobody has handled it: procrastinate's nightly clean-up removes old *jobs*, never
our rows. Retrying queues a new run on the same thread with the same input, command and
context (the graph carries on from the thread's last checkpoint, and every side effect is
keyed, so nothing already done is done twice), links the two, and audits `run_retried`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

from sales_agent.errors import SalesAgentError
from sales_agent.jobs.enqueue import enqueue_run_on
from sales_agent.policy.audit import record_change

__all__ = [
    "FailedRun",
    "RunNotFoundError",
    "RunNotRetryableError",
    "list_failed_runs",
    "retry_run",
]

_LIST_UNHANDLED = """
SELECT run_id::text AS run_id, thread_id, kind, error, attempts, created_at, updated_at
FROM runs WHERE status = 'error' AND handled_at IS NULL
ORDER BY created_at LIMIT %(limit)s
"""
_LOCK = """
SELECT run_id::text AS run_id, thread_id, assistant_id, kind, status, input, command, context,
       metadata, handled_at, retried_by::text AS retried_by
FROM runs WHERE run_id::text = %(run_id)s FOR UPDATE
"""
_MARK_HANDLED = """
UPDATE runs SET handled_at = now(), retried_by = %(retried_by)s, updated_at = now()
WHERE run_id::text = %(run_id)s
"""


class RunNotRetryableError(SalesAgentError):
    """The run does not exist, did not fail, or was retried already."""

    code = "run_not_retryable"


class RunNotFoundError(RunNotRetryableError):
    """There is no run with that id."""

    code = "run_not_found"


class FailedRun(BaseModel):
    """A run that failed for good and that nobody has handled yet."""

    model_config = ConfigDict(frozen=True)

    run_id: str
    thread_id: str
    kind: str
    error: str | None
    attempts: int
    created_at: datetime
    updated_at: datetime


def list_failed_runs(conn: Connection[DictRow], *, limit: int = 100) -> list[FailedRun]:
    """The unhandled failed runs, oldest first."""
    rows = conn.execute(_LIST_UNHANDLED, {"limit": limit}).fetchall()
    return [FailedRun.model_validate(row) for row in rows]


def _retryable(row: DictRow | None, run_id: str) -> DictRow:
    if row is None:
        raise RunNotFoundError(
            f"there is no run {run_id}: list the failed ones with `sales-agent runs failed`"
        )
    if row["status"] != "error":
        raise RunNotRetryableError(
            f"run {run_id} is {row['status']}, not error: only a failed run can be retried"
        )
    if row["handled_at"] is not None:
        raise RunNotRetryableError(
            f"run {run_id} was handled already (retried by run {row['retried_by']}): "
            "retry that run instead if it failed too"
        )
    return row


def retry_run(conn: Connection[DictRow], run_id: str, *, actor: str, reason: str) -> str:
    """Queue a new run doing what a failed run should have done; the new run's id.

    One transaction: the failed run is marked handled, the new run and its job are queued,
    and the retry is audited, or none of it happens.
    """
    with conn.transaction():
        row = _retryable(conn.execute(_LOCK, {"run_id": run_id}).fetchone(), run_id)
        metadata: dict[str, Any] = {**(row["metadata"] or {}), "retry_of": run_id}
        new_run_id = enqueue_run_on(
            conn,
            thread_id=row["thread_id"],
            kind=row["kind"],
            input=row["input"],
            command=row["command"],
            context=row["context"],
            assistant_id=row["assistant_id"],
            metadata=metadata,
        )
        conn.execute(_MARK_HANDLED, {"run_id": run_id, "retried_by": new_run_id})
        record_change(
            conn,
            actor=actor,
            action="run_retried",
            reason=reason,
            metadata={"run_id": run_id, "retry_run_id": new_run_id, "thread_id": row["thread_id"]},
        )
    return new_run_id
