"""Start a background run: a `runs` row and its procrastinate job, in one transaction.

When `enqueue_*` returns, the run is durable: a worker will execute it even if this process
dies the next instant. If the job cannot be deferred, nothing is recorded and the caller
gets an `EnqueueError` (so a webhook can refuse the delivery and have it sent again).
Two runs on one thread never interleave: every job is deferred with `lock=thread_id`.
"""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from datetime import datetime
from typing import Any, Literal

import psycopg
from procrastinate import SyncPsycopgConnector
from procrastinate.exceptions import ConnectorException
from procrastinate.manager import JobManager
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.db.agent_threads import touch_thread
from sales_agent.domain import Trigger
from sales_agent.domain.approval import parse_resume
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.errors import SalesAgentError
from sales_agent.graph.followup import GRAPH_ID
from sales_agent.graph.state import FollowupInput
from sales_agent.jobs.app import app
from sales_agent.jobs.run_rows import RunKind, insert_run, set_job
from sales_agent.services import Services
from sales_agent.trace import current_trace_id

__all__ = [
    "INDEX_TASK",
    "RUN_TASK",
    "EnqueueError",
    "cancel_queued_job",
    "defer_task",
    "enqueue_followup",
    "enqueue_index",
    "enqueue_resume",
    "enqueue_run",
    "enqueue_run_on",
]

RUN_TASK = "followup.run"
"""The task that executes one row of `runs` (registered in `jobs/tasks.py`)."""
INDEX_TASK = "index.run"
"""The task that updates the Gmail or Drive index (registered in `jobs/tasks.py`)."""

# Works on the caller's connection (inside its transaction); it never opens a pool itself.
_JOBS = JobManager(SyncPsycopgConnector())


class EnqueueError(SalesAgentError):
    """The job could not be queued; nothing was recorded, the caller may try again."""

    code = "enqueue_failed"


def defer_task(
    services: Services,
    task_name: str,
    *,
    lock: str | None = None,
    queueing_lock: str | None = None,
    connection: Connection[DictRow] | None = None,
    schedule_at: datetime | None = None,
    **task_kwargs: Any,
) -> int:
    """Queue any registered task by name (JSON arguments); the procrastinate job id.

    For tasks other modules register on `jobs.app.app` (the pollers, say). A
    `queueing_lock` already waiting in the queue raises procrastinate's `AlreadyEnqueued`.
    On `connection`, the job joins the caller's open transaction (durable at its commit).
    With `schedule_at` (aware), no worker takes the job before that moment.
    """
    deferrer = app.configure_task(
        name=task_name,
        lock=lock,
        queueing_lock=queueing_lock,
        schedule_at=schedule_at,
        task_kwargs=task_kwargs,
    )
    try:
        with nullcontext(connection) if connection else services.pool.connection() as conn:
            job = _JOBS.defer_job(deferrer.job, connection=conn)
    except (ConnectorException, psycopg.Error) as exc:
        raise EnqueueError(f"could not queue {task_name}: {exc}") from exc
    assert job.id is not None  # set by the INSERT
    return job.id


def enqueue_index(
    services: Services, source: Literal["gmail", "drive"], *, full: bool = False
) -> int:
    """Queue an index update of Gmail or Drive (one of each waiting at most); the job id."""
    return defer_task(
        services, INDEX_TASK, queueing_lock=f"index:{source}", source=source, full=full
    )


def enqueue_run(
    services: Services,
    *,
    thread_id: str,
    kind: RunKind,
    input: dict[str, Any] | None = None,
    command: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    assistant_id: str = GRAPH_ID,
    metadata: dict[str, Any] | None = None,
    trace_id: str | None = None,
) -> str:
    """Record a pending run and defer its job atomically; returns the run id.

    `input` is a `FollowupInput` as JSON (start), `command` is `{"resume": ...}` (resume,
    system); both are validated by the caller. `context` is the run's `FollowupContext`
    as JSON. The trace id defaults to the current one, so a request's trace follows it into
    the run it queues.
    """
    with services.pool.connection() as conn:
        return enqueue_run_on(
            conn,
            thread_id=thread_id,
            kind=kind,
            input=input,
            command=command,
            context=context,
            assistant_id=assistant_id,
            metadata=metadata,
            trace_id=trace_id,
        )


def enqueue_run_on(
    conn: Connection[DictRow],
    *,
    thread_id: str,
    kind: RunKind,
    input: dict[str, Any] | None,
    command: dict[str, Any] | None,
    context: dict[str, Any] | None,
    assistant_id: str,
    metadata: dict[str, Any] | None,
    trace_id: str | None = None,
) -> str:
    """`enqueue_run` on the caller's connection, inside its transaction if one is open."""
    run_id = str(uuid.uuid4())
    deferrer = app.configure_task(name=RUN_TASK, lock=thread_id, task_kwargs={"run_id": run_id})
    try:
        with conn.transaction():
            touch_thread(conn, thread_id=thread_id, graph_id=GRAPH_ID, assistant_id=assistant_id)
            insert_run(
                conn,
                run_id=run_id,
                thread_id=thread_id,
                assistant_id=assistant_id,
                kind=kind,
                input=input,
                command=command,
                context=context,
                metadata=metadata,
                trace_id=trace_id or current_trace_id(),
            )
            job = _JOBS.defer_job(deferrer.job, connection=conn)
            assert job.id is not None  # set by the INSERT
            set_job(conn, run_id=run_id, job_id=job.id)
    except (ConnectorException, psycopg.Error) as exc:
        raise EnqueueError(f"could not queue a run on thread {thread_id}: {exc}") from exc
    return run_id


def enqueue_followup(
    services: Services,
    trigger: Trigger,
    *,
    metadata: dict[str, Any] | None = None,
    trace_id: str | None = None,
) -> str:
    """Queue a follow-up run for `trigger` on its derived thread; returns the run id."""
    return enqueue_run(
        services,
        thread_id=thread_id_for(trigger),
        kind="start",
        input=FollowupInput(trigger=trigger).model_dump(mode="json", exclude_none=True),
        metadata=metadata,
        trace_id=trace_id,
    )


def enqueue_resume(
    services: Services,
    thread_id: str,
    resume: Any,
    *,
    kind: Literal["resume", "system"] = "resume",
    metadata: dict[str, Any] | None = None,
    trace_id: str | None = None,
) -> str:
    """Queue a resume of a thread waiting for approval; returns the run id.

    The value is validated first (`InvalidResumeError` for a malformed one): LangGraph
    keeps a resume value once delivered, so a bad one must never reach the graph.
    """
    parse_resume(resume)
    return enqueue_run(
        services,
        thread_id=thread_id,
        kind=kind,
        command={"resume": resume},
        metadata=metadata,
        trace_id=trace_id,
    )


def cancel_queued_job(conn: Connection[DictRow], job_id: int) -> bool:
    """Cancel a job still waiting in the queue (on the caller's transaction); False if taken."""
    return bool(_JOBS.cancel_job_by_id(job_id, connection=conn))
