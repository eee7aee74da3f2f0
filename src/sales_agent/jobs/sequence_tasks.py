"""The sequences' background tasks: the periodic due-touch tick and one job per due touch."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from procrastinate import JobContext

from sales_agent.jobs.app import app
from sales_agent.jobs.runtime import WorkerRuntime
from sales_agent.jobs.sequences import TOUCH_TASK, prepare_touch, run_due
from sales_agent.jobs.tasks import RUN_RETRY

__all__ = ["sequence_touch", "sequences_run_due"]

logger = logging.getLogger(__name__)


def _runtime(context: JobContext) -> WorkerRuntime:
    runtime = context.additional_context["runtime"]
    assert isinstance(runtime, WorkerRuntime)
    return runtime


@app.periodic(cron="*/5 * * * *", periodic_id="sequences-run-due")
@app.task(name="sequences.run_due", pass_context=True, queueing_lock="sequences-run-due")
def sequences_run_due(context: JobContext, timestamp: int) -> None:
    """Queue every touch due now (every five minutes)."""
    runtime = _runtime(context)
    claimed = run_due(runtime.services.pool, now=datetime.fromtimestamp(timestamp, UTC))
    if claimed:
        logger.info("queued %d due sequence touches", len(claimed))
    runtime.job_done()


@app.task(name=TOUCH_TASK, pass_context=True, retry=RUN_RETRY)
def sequence_touch(context: JobContext, touches: list[list[int]], now: str) -> None:
    """Check each due touch and start its follow-up run (or stop, hand over, wait).

    One touch failing (Gmail away) does not hold the others back; the job then fails and
    its retry skips the touches already handled (`prepare_touch` is idempotent).
    """
    runtime = _runtime(context)
    failed: Exception | None = None
    for sequence_id, touch in touches:
        try:
            result = prepare_touch(
                runtime.services,
                sequence_id=sequence_id,
                touch=touch,
                now=datetime.fromisoformat(now),
            )
        except Exception as exc:  # logged; re-raised below once the others had their turn
            logger.warning("sequence %s touch %s failed: %s", sequence_id, touch, exc)
            failed = exc
            continue
        logger.info(
            "sequence %s touch %s: %s %s", sequence_id, touch, result.verdict, result.detail
        )
    if failed is not None:
        raise failed
    runtime.job_done()
