"""The rules of a sequence: when it starts, pauses, defers, records a touch, and stops.

Every change is an audit event (`sequence_enrolled`, `sequence_touch_recorded`,
`sequence_paused`, `sequence_deferred`, `sequence_stopped`) with the
sequence's id in its metadata. A stop is for good: nothing makes a stopped sequence live again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.config import Settings
from sales_agent.db.sequence_cadences import get_cadence_override
from sales_agent.db.sequences import (
    SequenceRow,
    enrol_row,
    get_sequence,
    live_sequences_for,
    mark_paused,
    mark_stopped,
    mark_touch,
    reschedule,
)
from sales_agent.domain.sequence import StopReason, due_after
from sales_agent.policy.audit import record_event

__all__ = [
    "OUT_OF_OFFICE_DEFAULT_DAYS",
    "company_domain",
    "enrol",
    "pause_for_inbound",
    "record_touch",
    "settle_after_reply",
    "stop",
]

OUT_OF_OFFICE_DEFAULT_DAYS = 7
"""An auto-reply that names no return date defers the next touch this many days."""

# An address at one of these shares its domain with strangers, not with colleagues.
_SHARED_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.com",
        "yandex.ru",
    }
)
_STOPPING_INTENTS: dict[str, StopReason] = {
    "unsubscribe": "unsubscribed",
    "bounce": "bounced",
    "complaint": "complaint",
}


def company_domain(email: str) -> str | None:
    """The company an address belongs to, by its domain; None for a free-mail address."""
    domain = email.rpartition("@")[2].strip().lower()
    return None if not domain or domain in _SHARED_DOMAINS else domain


def _due(settings: Settings, moment: datetime, business_days: int) -> datetime:
    return due_after(
        moment,
        business_days,
        country=settings.holiday_country,
        days_off=settings.operator_days_off,
    )


def _audit(
    conn: Connection[DictRow], row: SequenceRow, *, actor: str, action: str, reason: str
) -> None:
    record_event(
        conn,
        actor=actor,
        action=action,
        thread_id=row.origin_thread_id,
        contact_email=row.contact_email,
        reason=reason,
        metadata={
            "sequence_id": row.id,
            "status": row.status,
            "touches_done": row.touches_done,
            "next_due_at": row.next_due_at.isoformat() if row.next_due_at else None,
        },
    )


def enrol(
    conn: Connection[DictRow],
    settings: Settings,
    *,
    email: str,
    gmail_thread_id: str,
    origin_thread_id: str,
    now: datetime,
    actor: str,
) -> SequenceRow | None:
    """Start nurturing a lead whose first touch was approved; None when one already runs."""
    cadence = get_cadence_override(conn, email) or settings.sequence_cadence()
    with conn.transaction():
        row = enrol_row(
            conn,
            email=email,
            gmail_thread_id=gmail_thread_id,
            origin_thread_id=origin_thread_id,
            cadence=cadence,
            now=now,
            next_due=_due(settings, now, cadence.wait_before(1)),
        )
        if row is not None:
            due = f"{row.next_due_at:%Y-%m-%d}" if row.next_due_at else "never (no follow-ups)"
            _audit(
                conn,
                row,
                actor=actor,
                action="sequence_enrolled",
                reason=f"first touch approved; follow-up 1 of {cadence.max_touches} due {due}",
            )
    return row


def record_touch(
    conn: Connection[DictRow],
    settings: Settings,
    *,
    sequence_id: int,
    touch: int,
    now: datetime,
    asset_id: str | None,
    actor: str,
) -> SequenceRow | None:
    """Count follow-up `touch` as prepared and schedule the next (or complete the sequence)."""
    current = get_sequence(conn, sequence_id)
    if current is None:
        return None
    last = touch >= current.max_touches
    next_due = None if last else _due(settings, now, current.cadence.wait_before(touch + 1))
    with conn.transaction():
        row = mark_touch(
            conn,
            sequence_id=sequence_id,
            touch=touch,
            now=now,
            next_due=next_due,
            asset_id=asset_id,
        )
        if row is not None:
            after = "the sequence is complete" if last else f"next due {next_due:%Y-%m-%d}"
            _audit(
                conn,
                row,
                actor=actor,
                action="sequence_touch_recorded",
                reason=f"follow-up {touch} of {row.max_touches} approved; {after}",
            )
    return row


def stop(
    conn: Connection[DictRow],
    *,
    sequence_id: int,
    reason: StopReason,
    actor: str,
    now: datetime,
    detail: str = "",
) -> SequenceRow | None:
    """End a live sequence for good; None when it had already ended."""
    with conn.transaction():
        row = mark_stopped(conn, sequence_id=sequence_id, reason=reason, now=now)
        if row is not None:
            text = f"{reason}: {detail}" if detail else reason
            _audit(conn, row, actor=actor, action="sequence_stopped", reason=text)
    return row


def pause_for_inbound(
    conn: Connection[DictRow], *, gmail_thread_id: str, sender: str, now: datetime, actor: str
) -> list[SequenceRow]:
    """Hold every live sequence an inbound message concerns until the reply flow reads it.

    No touch goes out while paused; the reply flow then stops the sequence, or (an out of
    office) defers it (`settle_after_reply`).
    """
    paused = []
    candidates = live_sequences_for(
        conn, gmail_thread_id=gmail_thread_id, email=sender, domain=company_domain(sender)
    )
    for candidate in candidates:
        with conn.transaction():
            row = mark_paused(conn, sequence_id=candidate.id, now=now)
            if row is not None:
                paused.append(row)
                _audit(
                    conn,
                    row,
                    actor=actor,
                    action="sequence_paused",
                    reason="inbound mail from the lead or their company: held for the reply flow",
                )
    return paused


def settle_after_reply(
    conn: Connection[DictRow],
    settings: Settings,
    *,
    gmail_thread_id: str,
    sender: str,
    intent: str,
    return_date: date | None,
    message_id: str | None,
    now: datetime,
    actor: str,
) -> list[SequenceRow]:
    """What the reply flow's reading means for the lead's sequences: stop, or defer (OOO)."""
    settled = []
    candidates = live_sequences_for(
        conn, gmail_thread_id=gmail_thread_id, email=sender, domain=company_domain(sender)
    )
    for candidate in candidates:
        if intent != "out_of_office":
            reason = _STOPPING_INTENTS.get(intent, "replied")
            row = stop(
                conn,
                sequence_id=candidate.id,
                reason=reason,
                actor=actor,
                now=now,
                detail=f"the lead's reply reads as {intent}",
            )
        else:
            row = _defer(
                conn,
                settings,
                candidate,
                return_date=return_date,
                message_id=message_id,
                now=now,
                actor=actor,
            )
        if row is not None:
            settled.append(row)
    return settled


def _defer(
    conn: Connection[DictRow],
    settings: Settings,
    row: SequenceRow,
    *,
    return_date: date | None,
    message_id: str | None,
    now: datetime,
    actor: str,
) -> SequenceRow | None:
    """Push the next touch to the first business day after the lead is back."""
    back = return_date or (now + timedelta(days=OUT_OF_OFFICE_DEFAULT_DAYS)).date()
    back_at = now + timedelta(days=max((back - now.date()).days, 0))
    next_due = _due(settings, back_at, 1)
    if row.next_due_at is not None:
        next_due = max(next_due, row.next_due_at)
    with conn.transaction():
        # The auto-reply is dealt with: the due-time check must not take it for a reply.
        deferred = reschedule(
            conn, sequence_id=row.id, next_due=next_due, now=now, handled_message_id=message_id
        )
        if deferred is not None:
            _audit(
                conn,
                deferred,
                actor=actor,
                action="sequence_deferred",
                reason=f"out of office until {back:%Y-%m-%d}: next touch due {next_due:%Y-%m-%d}",
            )
    return deferred
