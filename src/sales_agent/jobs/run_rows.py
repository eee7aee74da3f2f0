"""The `runs` table: one row per run of a graph on a thread, as the thread API shows it."""

from __future__ import annotations

from typing import Any, Literal

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from sales_agent.trace import current_trace_id

__all__ = [
    "ACTIVE",
    "CancelAction",
    "RunKind",
    "RunStatus",
    "active_run",
    "cancel_requested",
    "delete_run",
    "finish_run",
    "get_run",
    "insert_run",
    "list_runs",
    "mark_running",
    "request_cancel",
    "requeue_run",
    "set_job",
]

RunKind = Literal["start", "resume", "system"]
RunStatus = Literal["pending", "running", "success", "error", "interrupted", "timeout", "cancelled"]
ACTIVE = ("pending", "running")
CancelAction = Literal["interrupt", "rollback"]
"""What a cancelled run leaves: its checkpoints (`interrupt`), or nothing at all (`rollback`)."""

_COLUMNS = """run_id::text AS run_id, thread_id, assistant_id, kind, status, input, command,
context, metadata, error, job_id, attempts, trace_id, cancel_action, created_at, updated_at"""

_INSERT = f"""
INSERT INTO runs (run_id, thread_id, assistant_id, kind, status, input, command, context,
                  metadata, trace_id)
VALUES (%(run_id)s, %(thread_id)s, %(assistant_id)s, %(kind)s, %(status)s, %(input)s,
        %(command)s, %(context)s, %(metadata)s, %(trace_id)s)
RETURNING {_COLUMNS}
"""
_SET_JOB = "UPDATE runs SET job_id = %(job_id)s, updated_at = now() WHERE run_id = %(run_id)s"
_MARK_RUNNING = f"""
UPDATE runs SET status = 'running', attempts = attempts + 1, error = NULL, updated_at = now()
WHERE run_id = %(run_id)s AND status IN ('pending', 'running') AND cancel_action IS NULL
RETURNING {_COLUMNS}
"""
_FINISH = """
UPDATE runs SET status = %(status)s, error = %(error)s, updated_at = now()
WHERE run_id = %(run_id)s AND status IN ('pending', 'running')
RETURNING run_id
"""
_REQUEUE = """
UPDATE runs SET status = 'pending', error = %(error)s, updated_at = now()
WHERE run_id = %(run_id)s AND status = 'running'
"""
_REQUEST_CANCEL = f"""
UPDATE runs SET cancel_action = %(action)s, updated_at = now()
WHERE run_id::text = %(run_id)s AND thread_id = %(thread_id)s AND status IN ('pending', 'running')
RETURNING {_COLUMNS}
"""
_CANCEL_REQUESTED = "SELECT cancel_action FROM runs WHERE run_id::text = %(run_id)s"
_DELETE = "DELETE FROM runs WHERE run_id::text = %(run_id)s"
_GET = f"SELECT {_COLUMNS} FROM runs WHERE run_id::text = %(run_id)s"
_GET_ON_THREAD = f"""
SELECT {_COLUMNS} FROM runs WHERE run_id::text = %(run_id)s AND thread_id = %(thread_id)s
"""
_LIST = f"""
SELECT {_COLUMNS} FROM runs
WHERE thread_id = %(thread_id)s AND (%(status)s::text IS NULL OR status = %(status)s)
ORDER BY created_at DESC LIMIT %(limit)s OFFSET %(offset)s
"""
_ACTIVE = f"""
SELECT {_COLUMNS} FROM runs WHERE thread_id = %(thread_id)s AND status IN ('pending', 'running')
ORDER BY created_at LIMIT 1
"""


def _json(value: Any) -> Jsonb | None:
    return None if value is None else Jsonb(value)


def insert_run(
    conn: Connection[DictRow],
    *,
    run_id: str,
    thread_id: str,
    assistant_id: str,
    kind: RunKind,
    status: RunStatus = "pending",
    input: dict[str, Any] | None = None,
    command: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    trace_id: str | None = None,
) -> DictRow:
    """Record a new run; returns its row."""
    row = conn.execute(
        _INSERT,
        {
            "run_id": run_id,
            "thread_id": thread_id,
            "assistant_id": assistant_id,
            "kind": kind,
            "status": status,
            "input": _json(input),
            "command": _json(command),
            "context": Jsonb(context or {}),
            "metadata": Jsonb(metadata or {}),
            # Default: the trace of the request (or run) that records this run.
            "trace_id": trace_id or current_trace_id(),
        },
    ).fetchone()
    assert row is not None  # INSERT ... RETURNING always returns the row
    return row


def set_job(conn: Connection[DictRow], *, run_id: str, job_id: int) -> None:
    """Link a run to the procrastinate job that executes it."""
    conn.execute(_SET_JOB, {"run_id": run_id, "job_id": job_id})


def mark_running(conn: Connection[DictRow], *, run_id: str) -> DictRow | None:
    """Claim a run for an attempt; None when it already finished or a cancel was asked."""
    return conn.execute(_MARK_RUNNING, {"run_id": run_id}).fetchone()


def finish_run(
    conn: Connection[DictRow], *, run_id: str, status: RunStatus, error: str | None = None
) -> bool:
    """Set a still-active run's final status; False when it had already finished."""
    row = conn.execute(_FINISH, {"run_id": run_id, "status": status, "error": error}).fetchone()
    return row is not None


def request_cancel(
    conn: Connection[DictRow], *, run_id: str, thread_id: str, action: CancelAction
) -> DictRow | None:
    """Record a cancel request on an active run; its row, or None when it is not active."""
    params = {"run_id": run_id, "thread_id": thread_id, "action": action}
    return conn.execute(_REQUEST_CANCEL, params).fetchone()


def cancel_requested(conn: Connection[DictRow], *, run_id: str) -> CancelAction | None:
    """The cancel a client asked for on the run, if any (read at every step boundary)."""
    row = conn.execute(_CANCEL_REQUESTED, {"run_id": run_id}).fetchone()
    action: CancelAction | None = row["cancel_action"] if row else None
    return action


def delete_run(conn: Connection[DictRow], *, run_id: str) -> None:
    """Forget a run (a rolled-back one: the Agent Server lists it no more)."""
    conn.execute(_DELETE, {"run_id": run_id})


def requeue_run(conn: Connection[DictRow], *, run_id: str, error: str) -> None:
    """Put a failed attempt back to pending, keeping its error visible until the retry."""
    conn.execute(_REQUEUE, {"run_id": run_id, "error": error})


def get_run(
    conn: Connection[DictRow], *, run_id: str, thread_id: str | None = None
) -> DictRow | None:
    """A run by id (on `thread_id` when given), or None."""
    if thread_id is None:
        return conn.execute(_GET, {"run_id": run_id}).fetchone()
    return conn.execute(_GET_ON_THREAD, {"run_id": run_id, "thread_id": thread_id}).fetchone()


def list_runs(
    conn: Connection[DictRow],
    *,
    thread_id: str,
    status: str | None = None,
    limit: int = 10,
    offset: int = 0,
) -> list[DictRow]:
    """A thread's runs, newest first."""
    params = {"thread_id": thread_id, "status": status, "limit": limit, "offset": offset}
    return conn.execute(_LIST, params).fetchall()


def active_run(conn: Connection[DictRow], *, thread_id: str) -> DictRow | None:
    """The oldest pending or running run on a thread, or None."""
    return conn.execute(_ACTIVE, {"thread_id": thread_id}).fetchone()
