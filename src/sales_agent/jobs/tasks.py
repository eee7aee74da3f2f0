"""The background tasks: runs, approval expiry, indexing, the CRM poll, stalled-job recovery.

Every task takes `pass_context=True` and finds the process's services and compiled graph in
`context.additional_context` (put there by `worker.py`), so a task never opens its own.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Literal

import psycopg
from procrastinate import App, JobContext, RetryStrategy, builtin_tasks

from sales_agent.errors import ConnectorError
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.app import app
from sales_agent.jobs.enqueue import INDEX_TASK, RUN_TASK
from sales_agent.jobs.execute import execute_run
from sales_agent.jobs.failed_runs import settle_failed_run
from sales_agent.jobs.followup_runs import expire_thread, stale_pending_threads
from sales_agent.jobs.run_rows import finish_run, get_run, requeue_run
from sales_agent.jobs.runtime import WorkerRuntime
from sales_agent.jobs.thread_lock import ThreadBusyError, try_hold_thread

__all__ = [
    "RUN_RETRY",
    "expire_approvals",
    "index",
    "poll_crm",
    "recover_stalled",
    "remove_old_jobs",
    "requeue_stalled",
    "run_followup",
]

logger = logging.getLogger(__name__)

RUN_RETRY = RetryStrategy(
    max_attempts=3,
    exponential_wait=2,
    retry_exceptions={ConnectorError, psycopg.OperationalError, TimeoutError},
)
"""Transient failures (a service or the database briefly away) retry with backoff."""


def _runtime(context: JobContext) -> WorkerRuntime:
    runtime = context.additional_context["runtime"]
    assert isinstance(runtime, WorkerRuntime)
    return runtime


@app.task(name=RUN_TASK, pass_context=True, retry=RUN_RETRY)
def run_followup(context: JobContext, run_id: str) -> None:
    """Execute one row of `runs`; a failure is written to the row before it propagates."""
    runtime = _runtime(context)
    try:
        execute_run(runtime.services, runtime.graph, run_id)
    except Exception as exc:  # recorded on the run, then re-raised for procrastinate
        error = f"{type(exc).__name__}: {exc}"
        retrying = RUN_RETRY.get_retry_decision(exception=exc, job=context.job) is not None
        row = None
        with runtime.services.pool.connection() as conn:
            if retrying:
                requeue_run(conn, run_id=run_id, error=error)
            elif finish_run(conn, run_id=run_id, status="error", error=error):
                row = get_run(conn, run_id=run_id)
        logger.warning("run %s failed (%s): %s", run_id, "retrying" if retrying else "final", error)
        if row is not None:
            settle_failed_run(
                runtime.services,
                runtime.graph,
                thread_id=row["thread_id"],
                run_id=run_id,
                error=error,
                now=datetime.now(UTC),
            )
        raise
    runtime.job_done()


@app.periodic(cron="*/5 * * * *", periodic_id="expire-approvals")
@app.task(name="followup.expire_approvals", pass_context=True, queueing_lock="expire-approvals")
def expire_approvals(context: JobContext, timestamp: int) -> None:
    """Withdraw drafts that waited longer than the approval window (every five minutes)."""
    runtime = _runtime(context)
    now = datetime.fromtimestamp(timestamp, UTC)
    expired = 0
    for thread_id in stale_pending_threads(runtime.services, now=now):
        try:
            # Under the thread's lock, never interleaved with a run on it; a busy thread
            # is left to the next tick (its run may well decide the draft first).
            with try_hold_thread(runtime.services, thread_id):
                expired += expire_thread(runtime.graph, thread_id, FollowupContext(now=now))
        except ThreadBusyError:
            continue
    if expired:
        logger.info("expired %d pending approvals", expired)
    runtime.job_done()


@app.periodic(cron="* * * * *", periodic_id="poll-crm")
@app.task(name="crm.poll", pass_context=True, queueing_lock="poll-crm")
def poll_crm(context: JobContext, timestamp: int) -> None:
    """Keep the CRM mirror fresh every minute: finish a walk left half-way, then poll.

    Webhooks refresh single contacts as they change; this catches whatever they missed
    (a delivery lost, a company edited) by HubSpot's last-modified date.
    """
    from sales_agent.memory.crm_sync import sync

    runtime = _runtime(context)
    report = sync(runtime.services.pool, runtime.services.connectors.hubspot)
    if report.records:
        logger.info("crm mirror: %d records refreshed", report.records)
    runtime.job_done()


@app.task(name=INDEX_TASK, pass_context=True, retry=RUN_RETRY)
def index(context: JobContext, source: Literal["gmail", "drive"], full: bool = False) -> None:
    """Bring the Gmail or Drive index up to date (`full` rebuilds the Gmail one)."""
    from sales_agent.memory.drive_index import index_drive
    from sales_agent.memory.gmail_index import index_gmail

    runtime = _runtime(context)
    if source == "gmail":
        logger.info("gmail index: %s", index_gmail(runtime.services, full=full))
    else:
        logger.info("drive index: %s", index_drive(runtime.services))
    runtime.job_done()


@app.periodic(cron="17 4 * * *", periodic_id="remove-old-jobs")
@app.task(name="jobs.remove_old_jobs", pass_context=True, queueing_lock="remove-old-jobs")
async def remove_old_jobs(context: JobContext, timestamp: int) -> None:
    """Delete finished jobs older than a week, nightly (the `runs` rows keep the history)."""
    await builtin_tasks.remove_old_jobs(
        context, max_hours=7 * 24, remove_failed=True, remove_cancelled=True, remove_aborted=True
    )


# croniter reads a sixth field as seconds: every 10 seconds, not "minutes divisible by 10".
@app.periodic(cron="* * * * * */10", periodic_id="recover-stalled")
@app.task(name="jobs.recover_stalled", pass_context=True, queueing_lock="recover-stalled")
async def recover_stalled(context: JobContext, timestamp: int) -> None:
    """Requeue the jobs of workers that stopped beating (every ten seconds)."""
    await requeue_stalled(context.app, _runtime(context).stalled_after)


async def requeue_stalled(job_app: App, stalled_after: float) -> list[int]:
    """Put jobs whose worker died back in the queue; their ids.

    A killed worker leaves its jobs `doing` forever; procrastinate notices the missing
    heartbeat but leaves the retry to us. The run itself carries on from its checkpoint.
    """
    manager = job_app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after)
    ids = []
    for job in stalled:
        await manager.retry_job(job)
        assert job.id is not None
        ids.append(job.id)
    if ids:
        logger.warning("requeued jobs of stalled workers: %s", ids)
    return ids
