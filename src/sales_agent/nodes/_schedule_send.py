"""Booking an approved draft's (or story pitch's) send in the lead's next send window.

The moment comes from `domain.send_window` over the sends already booked or made, chosen
under one lock so two approvals never take the same slot; the booking and its job (deferred
with `schedule_at`, sent by `jobs/scheduled_sends.py`) are written in one transaction. A
story pitch's send also reserves its story send in the ledger for that moment, in the same
transaction, so the story quotas (a day's, a contact's 14 days, an execution's) hold at
booking: one they refuse is not booked at all.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sales_agent.db.scheduled_sends import (
    SCHEDULE_LOCK,
    booked_sends,
    defer_send_job,
    get_scheduled,
    insert_scheduled,
    set_job,
)
from sales_agent.domain import ResolvedIdentity
from sales_agent.domain.send_window import BookedSend, next_send_time
from sales_agent.policy.quota_limits import load_limits
from sales_agent.policy.quotas import reserve
from sales_agent.services import Services

__all__ = ["schedule_send"]

logger = logging.getLogger(__name__)

_LOOK_AHEAD = timedelta(days=61)  # the window search never looks further


def schedule_send(
    services: Services,
    *,
    key: str,
    draft_id: str | None,
    thread_id: str,
    identity: ResolvedIdentity,
    gmail_draft_id: str,
    draft_key: str,
    gmail_thread_id: str | None,
    earliest: datetime,
    story_id: str | None = None,
) -> datetime:
    """Book the draft's send in the lead's next window and queue its job; the moment.

    With `story_id` (and no `draft_id`) the send is that story's pitch to the lead and
    `thread_id` the story run: its story send is reserved first, or `QuotaExceeded` raised.
    A re-run (the node retried) finds its booking and returns the same moment.
    """
    company = identity.company_id or identity.company_domain or identity.email.split("@")[-1]
    with services.pool.connection() as conn, conn.transaction():
        conn.execute(SCHEDULE_LOCK)
        if (existing := get_scheduled(conn, key=key)) is not None:
            send_at: datetime = existing["send_at"]
            return send_at
        rules = services.settings.send_rules(load_limits(conn).global_daily)
        booked = [
            BookedSend(row["at"], row["company"])
            for row in booked_sends(
                conn, since=earliest - timedelta(days=1), until=earliest + _LOOK_AHEAD
            )
        ]
        send_at = next_send_time(
            earliest, lead_timezone=identity.timezone, rules=rules, booked=booked, company=company
        )
        if story_id is not None:
            reserve(
                conn,
                kind="story",
                contact_email=identity.email,
                idempotency_key=key,
                thread_id=thread_id,
                story_id=story_id,
                execution_id=thread_id,
                now=send_at,  # counted on the day it goes out
                timezone=services.settings.timezone,
            )
        insert_scheduled(
            conn,
            key=key,
            draft_id=draft_id,
            story_id=story_id,
            thread_id=thread_id,
            contact_email=identity.email,
            company=company,
            company_id=identity.company_id,
            gmail_draft_id=gmail_draft_id,
            draft_key=draft_key,
            gmail_thread_id=gmail_thread_id,
            send_at=send_at,
        )
        job_id = defer_send_job(conn, key=key, send_at=send_at)
        set_job(conn, key=key, job_id=job_id)
    logger.info("send %s scheduled for %s", key, send_at.isoformat())
    return send_at
