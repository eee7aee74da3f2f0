"""The job that sends a scheduled draft when its window opens (`jobs/scheduled_sends.py`)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from procrastinate import JobContext

from sales_agent.db.scheduled_sends import SEND_TASK
from sales_agent.jobs.app import app
from sales_agent.jobs.runtime import WorkerRuntime
from sales_agent.jobs.scheduled_sends import send_scheduled
from sales_agent.jobs.tasks import RUN_RETRY

__all__ = ["deliver_scheduled"]

logger = logging.getLogger(__name__)


@app.task(name=SEND_TASK, pass_context=True, retry=RUN_RETRY)
def deliver_scheduled(context: JobContext, key: str) -> None:
    """Send one scheduled draft now (procrastinate starts it no earlier than its window)."""
    runtime = context.additional_context["runtime"]
    assert isinstance(runtime, WorkerRuntime)
    status = send_scheduled(runtime.services, key, now=datetime.now(UTC))
    logger.info("scheduled send %s: %s", key, status)
    runtime.job_done()
