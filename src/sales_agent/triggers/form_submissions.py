"""New HubSpot form submissions since the stored cursor: one `form` follow-up each.

The cursor is the newest `submittedAt` read (ISO 8601). Reading is inclusive of the cursor
and every submission started is remembered by its id, so two submissions in the same
millisecond, or a webhook and the poller reading the same one, start exactly one run each.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from pydantic import ValidationError

from sales_agent.connectors.hubspot_crm import HubSpotClient
from sales_agent.connectors.hubspot_models import HubSpotFormSubmission
from sales_agent.domain import Trigger
from sales_agent.jobs.enqueue import enqueue_followup
from sales_agent.services import Services
from sales_agent.triggers.ledger import get_cursor, locked, record_event, seen_event, set_cursor

__all__ = ["FormSync", "form_trigger", "sync_form_submissions", "typed_form_trigger"]

logger = logging.getLogger(__name__)

_SOURCE: Final = "hubspot_forms"
_EVENTS: Final = "hubspot"
_EMAIL_FIELD = "email"
_MESSAGE_FIELD = "message"


@dataclass(frozen=True)
class FormSync:
    """What one sync did: the cursor it stored and the runs it queued."""

    cursor: datetime
    run_ids: tuple[str, ...] = ()
    baseline: bool = False
    """True when there was no cursor and no fallback: it was set to now, nothing started."""


def form_trigger(submission: HubSpotFormSubmission) -> Trigger | None:
    """The `form` trigger for a submission, or None when it names no usable email."""
    if submission.conversion_id is None:
        return None
    try:
        return Trigger(
            source="form",
            contact_email=submission.values.get(_EMAIL_FIELD),
            submission_id=submission.conversion_id,
            message=submission.values.get(_MESSAGE_FIELD) or None,
        )
    except ValidationError:
        return None


def typed_form_trigger(email: str, message: str | None = None) -> Trigger:
    """The `form` trigger an operator types (`sales-agent trigger form`).

    Its submission id is derived from the email and the message, so the same command run
    twice lands on the same thread (`form:cli-<hash>`) and never makes a second draft.
    """
    address = email.strip().lower()
    digest = hashlib.sha256(f"{address}\n{message or ''}".encode()).hexdigest()[:16]
    return Trigger(
        source="form",
        contact_email=address,
        submission_id=f"cli-{digest}",
        message=message or None,
    )


def sync_form_submissions(
    services: Services,
    *,
    since: datetime | None = None,
    trace_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> FormSync:
    """Queue a follow-up for every submission since the cursor (or `since` before one).

    With neither a cursor nor `since` (the first poll) the cursor is set to now and nothing
    starts: submissions from before the install are not leads to answer now. Returns once
    every run is durably queued and the cursor moved; a failure raises and keeps the cursor.
    """
    with locked(services.pool, _SOURCE) as conn:
        stored = get_cursor(conn, source=_SOURCE)
        start = datetime.fromisoformat(stored) if stored is not None else since
        if start is None:
            now = datetime.now(UTC)
            set_cursor(conn, source=_SOURCE, cursor=now.isoformat())
            return FormSync(cursor=now, baseline=True)
        newest = start
        run_ids: list[str] = []
        for submission in _submissions_since(services.connectors.hubspot, start):
            newest = max(newest, submission.submitted_at)
            key = f"submission:{submission.conversion_id}"
            if seen_event(conn, source=_EVENTS, event_id=key):
                continue
            trigger = form_trigger(submission)
            run_id = None
            if trigger is None:
                logger.warning(
                    "form submission %s on form %s has no id or no valid email; skipped",
                    submission.conversion_id,
                    submission.form_id,
                )
            else:
                extra = {"hubspot_form_id": submission.form_id}
                run_id = enqueue_followup(
                    services, trigger, metadata={**(metadata or {}), **extra}, trace_id=trace_id
                )
                run_ids.append(run_id)
            record_event(conn, source=_EVENTS, event_id=key, run_id=run_id)
        set_cursor(conn, source=_SOURCE, cursor=newest.isoformat())
        return FormSync(cursor=newest, run_ids=tuple(run_ids))


def _submissions_since(hubspot: HubSpotClient, start: datetime) -> Iterator[HubSpotFormSubmission]:
    """Every form's submissions at or after `start`, each form's oldest first."""
    for form in hubspot.list_forms():
        newer: list[HubSpotFormSubmission] = []
        after: str | None = None
        while True:
            page = hubspot.list_form_submissions(form.id, after)
            fresh = [s for s in page.results if s.submitted_at >= start]
            newer.extend(fresh)
            # Pages come newest first: one older submission means the rest are older too.
            if page.after is None or len(fresh) < len(page.results):
                break
            after = page.after
        yield from reversed(newer)
