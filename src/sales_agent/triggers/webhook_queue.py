"""What a webhook request does before it answers: dedupe and durably queue, nothing more.

The delivery's new event ids and one job carrying them (`webhooks.hubspot`, or
`webhooks.gmail` for a push) are written in one transaction; the request acknowledges after
its commit. The job does the reads (HubSpot contacts and forms, Gmail history) and queues
the runs, so a slow or failing API never delays the sender nor loses its delivery: the job
retries, and the sender's redelivery of an acknowledged event finds its id and stops there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import psycopg

from sales_agent.jobs.enqueue import EnqueueError, defer_task
from sales_agent.services import Services
from sales_agent.triggers.hubspot_events import HubSpotEvent
from sales_agent.triggers.ledger import EventSource, record_new_events

__all__ = [
    "GMAIL_TASK",
    "HUBSPOT_TASK",
    "Accepted",
    "accept_gmail_push",
    "accept_hubspot_events",
]

HUBSPOT_TASK: Final = "webhooks.hubspot"
"""Reads what a delivery's new events call for and queues their runs (`webhook_tasks.py`)."""
GMAIL_TASK: Final = "webhooks.gmail"
"""Syncs the mailbox's history after a push and queues the runs (`webhook_tasks.py`)."""


@dataclass(frozen=True)
class Accepted:
    """What a request queued: its new events (in one job) and those already seen."""

    new_events: int
    duplicates: int
    job_id: int | None
    """The procrastinate job that handles the new events; None when there were none."""


def _accept(
    services: Services,
    source: EventSource,
    event_ids: list[str],
    task: str,
    task_kwargs: Callable[[set[str]], dict[str, Any]],
) -> tuple[set[str], int | None]:
    """Record the ids; if any is new, defer `task` with `task_kwargs(new ids)`; one commit."""
    try:
        with services.pool.connection() as conn, conn.transaction():
            fresh = record_new_events(conn, source=source, event_ids=event_ids)
            if not fresh:
                return fresh, None
            job_id = defer_task(services, task, connection=conn, **task_kwargs(fresh))
    except psycopg.Error as exc:  # rolled back: nothing recorded, the sender sends again
        raise EnqueueError(f"could not record the {source} delivery: {exc}") from exc
    return fresh, job_id


def accept_hubspot_events(
    services: Services, events: list[HubSpotEvent], *, trace_id: str | None
) -> Accepted:
    """Dedupe a delivery by event id and queue its new events; durable on return."""
    unique = {str(event.event_id): event for event in events}

    def job_args(fresh: set[str]) -> dict[str, Any]:
        new = [e.model_dump(mode="json", by_alias=True) for k, e in unique.items() if k in fresh]
        return {"events": new, "trace_id": trace_id}

    fresh, job_id = _accept(services, "hubspot", list(unique), HUBSPOT_TASK, job_args)
    return Accepted(new_events=len(fresh), duplicates=len(events) - len(fresh), job_id=job_id)


def accept_gmail_push(
    services: Services, message_id: str, *, trace_id: str | None, metadata: dict[str, Any]
) -> Accepted:
    """Dedupe a push by its Pub/Sub message id and queue a mailbox sync; durable on return."""

    def job_args(_: set[str]) -> dict[str, Any]:
        return {"trace_id": trace_id, "metadata": metadata}

    fresh, job_id = _accept(services, "gmail", [message_id], GMAIL_TASK, job_args)
    return Accepted(new_events=len(fresh), duplicates=1 - len(fresh), job_id=job_id)
