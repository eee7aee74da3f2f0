"""The jobs a webhook queues: the reads and run enqueues its request left to a worker.

Each runs in the trace of the request that queued it, so the runs it queues (and their log
lines) carry that request's trace id. Both are idempotent and retried with backoff over a
long window: an API that is down for a while delays the runs, it does not lose them.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from procrastinate import JobContext, RetryStrategy

from sales_agent.errors import ConnectorError
from sales_agent.jobs.app import app
from sales_agent.jobs.enqueue import EnqueueError
from sales_agent.jobs.runtime import WorkerRuntime
from sales_agent.trace import trace_scope
from sales_agent.triggers.gmail_changes import sync_gmail
from sales_agent.triggers.hubspot_events import HUBSPOT_EVENTS, handle_hubspot_events
from sales_agent.triggers.webhook_queue import GMAIL_TASK, HUBSPOT_TASK

__all__ = ["WEBHOOK_RETRY", "gmail_push", "hubspot_delivery"]

logger = logging.getLogger(__name__)

WEBHOOK_RETRY = RetryStrategy(
    max_attempts=10,
    exponential_wait=2,
    retry_exceptions={ConnectorError, EnqueueError, psycopg.OperationalError, TimeoutError},
)
"""Transient failures retry for about half an hour (2 s, 4 s, ... 17 min) before giving up."""


def _runtime(context: JobContext) -> WorkerRuntime:
    runtime = context.additional_context["runtime"]
    assert isinstance(runtime, WorkerRuntime)
    return runtime


@app.task(name=HUBSPOT_TASK, pass_context=True, retry=WEBHOOK_RETRY)
def hubspot_delivery(
    context: JobContext, events: list[dict[str, Any]], trace_id: str | None = None
) -> None:
    """Queue the runs a HubSpot delivery's new events call for."""
    runtime = _runtime(context)
    with trace_scope(trace_id):
        run_ids = handle_hubspot_events(runtime.services, HUBSPOT_EVENTS.validate_python(events))
        logger.info("hubspot delivery of %d events queued %d runs", len(events), len(run_ids))
    runtime.job_done()


@app.task(name=GMAIL_TASK, pass_context=True, retry=WEBHOOK_RETRY)
def gmail_push(
    context: JobContext, trace_id: str | None = None, metadata: dict[str, Any] | None = None
) -> None:
    """Sync the mailbox's history after a push and queue the runs it calls for."""
    runtime = _runtime(context)
    with trace_scope(trace_id):
        synced = sync_gmail(runtime.services, trace_id=trace_id, metadata=metadata)
        logger.info("gmail push synced to %s: %d runs", synced.history_id, len(synced.run_ids))
    runtime.job_done()
