"""The send of a scheduled draft, when its window opens (`nodes/_schedule_send.py` booked it).

`send_scheduled` is the `sends.deliver` job's work: the same re-checks as any send at the
moment of sending (mode, kill switch, suppression, quota reserved atomically), then Gmail
sends the draft once per key (the side-effect ledger), and the send is recorded: the draft
(or the story pitch) `sent`, an email event, an audit event. A story pitch's send was
reserved when it was booked: its quotas are counted afresh now, its own reservation set
aside, and a refused one gives the reservation back.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sales_agent.db.drafts import set_draft_status
from sales_agent.db.email_events import record_email_event
from sales_agent.db.scheduled_sends import (
    ScheduledStatus,
    get_scheduled,
    settle_scheduled,
)
from sales_agent.db.side_effects import run_once
from sales_agent.db.stories import update_pitch
from sales_agent.errors import ConnectorError
from sales_agent.nodes._send_guard import send_refusal
from sales_agent.policy.audit import record_event
from sales_agent.policy.quotas import LedgerError, mark_sent, release
from sales_agent.services import Services

__all__ = ["send_scheduled"]

logger = logging.getLogger(__name__)


def _sent_in_thread(services: Services, row: dict[str, Any]) -> str | None:
    """Recovery: the draft is gone, so it was sent; its SENT message is the thread's newest."""
    gmail, gmail_thread_id = services.connectors.gmail, row["gmail_thread_id"]
    draft_key = row["draft_key"]
    if gmail_thread_id is None or gmail.find_draft_by_key(draft_key, thread_id=gmail_thread_id):
        return None
    sent = [m for m in gmail.get_thread(gmail_thread_id).messages if "SENT" in m.label_ids]
    return sent[-1].id if sent else None


def _settle(
    services: Services,
    row: dict[str, Any],
    status: ScheduledStatus,
    reason: str,
    message_id: str | None = None,
) -> ScheduledStatus:
    """Record how the send ended: the row, the draft or pitch, and an audit event."""
    draft_id = None if row["draft_id"] is None else str(row["draft_id"])
    story_id = None if row["story_id"] is None else str(row["story_id"])
    with services.pool.connection() as conn, conn.transaction():
        settle_scheduled(conn, key=row["key"], status=status, reason=reason, message_id=message_id)
        if story_id is not None:
            update_pitch(
                conn,
                story_id=story_id,
                email=row["contact_email"],
                status="sent" if message_id is not None else None,
                sent_message_id=message_id,
                outcome_reason=reason,
            )
        elif message_id is not None:
            assert draft_id is not None
            set_draft_status(conn, draft_id=draft_id, status="sent", sent_message_id=message_id)
        record_event(
            conn,
            actor="agent",
            action=f"send_{status}",
            thread_id=row["thread_id"],
            draft_id=draft_id,
            contact_email=row["contact_email"],
            company_id=row["company_id"],
            reason=reason,
            metadata={
                "send_at": row["send_at"].isoformat(),
                "sent_message_id": message_id,
                **({"story_id": story_id} if story_id is not None else {}),
            },
        )
    return status


def _refused(
    services: Services, row: dict[str, Any], reason: str, now: datetime
) -> ScheduledStatus:
    """A story send refused now gives back the reservation its booking made; the reason."""
    if row["story_id"] is not None:
        with services.pool.connection() as conn:
            try:
                release(conn, idempotency_key=row["key"], now=now)
            except LedgerError as exc:  # sent before a crash: it keeps counting, rightly
                logger.warning("send %s refused after it went out: %s", row["key"], exc)
    return _settle(services, row, "refused", f"not sent: {reason}")


def send_scheduled(services: Services, key: str, *, now: datetime) -> ScheduledStatus:
    """Send the draft booked under `key`, every check re-run now; how the send ended.

    A send that already ended (a redelivered job) is left as it is.
    """
    with services.pool.connection() as conn:
        row = get_scheduled(conn, key=key)
    if row is None:
        raise LookupError(f"no send is scheduled under {key!r}")
    if row["status"] != "scheduled":
        ended: ScheduledStatus = row["status"]
        return ended
    email, thread_id, story_id = row["contact_email"], row["thread_id"], row["story_id"]
    refusal = send_refusal(
        services,
        email=email,
        key=key,
        kind="followup" if story_id is None else "story",
        thread_id=thread_id,
        story_id=None if story_id is None else str(story_id),
        execution_id=None if story_id is None else thread_id,
        now=now,
        recount=story_id is not None,
    )
    if refusal is not None:
        return _refused(services, row, refusal, now)
    gmail, gmail_draft_id = services.connectors.gmail, row["gmail_draft_id"]
    try:
        result = run_once(
            services.pool,
            key=key,
            kind="gmail_send",
            thread_id=thread_id,
            call=lambda: {"message_id": gmail.send_draft(gmail_draft_id)},
            recover=lambda: (
                {"message_id": found} if (found := _sent_in_thread(services, row)) else None
            ),
        )
    except ConnectorError as exc:
        with services.pool.connection() as conn:
            release(conn, idempotency_key=key, now=now)
        return _settle(services, row, "failed", f"Gmail refused the send: {exc}")
    message_id = str(result["message_id"])
    with services.pool.connection() as conn, conn.transaction():
        mark_sent(conn, idempotency_key=key, now=now)
        record_email_event(
            conn,
            event_key=f"sent:{message_id}",
            kind="sent",
            occurred_at=now,
            source="agent",
            draft_id=None if row["draft_id"] is None else str(row["draft_id"]),
            thread_id=thread_id,
            contact_email=email,
            company_id=row["company_id"],
            gmail_message_id=message_id,
        )
    return _settle(services, row, "sent", "sent in its window", message_id)
