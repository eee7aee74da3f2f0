"""The `email_events` table: what happened after a send, one row per kind and source message."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, get_args

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

__all__ = [
    "EVENT_KINDS",
    "EventKind",
    "contact_stats",
    "daily_stats",
    "draft_events",
    "event_counts",
    "record_email_event",
    "sent_draft_on_thread",
]

EventKind = Literal["sent", "bounced", "replied", "unsubscribed", "complained", "meeting_booked"]
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)

_INSERT = """
INSERT INTO email_events (event_key, kind, occurred_at, draft_id, thread_id, contact_email,
                          company_id, gmail_message_id, source, detail)
VALUES (%(event_key)s, %(kind)s, %(occurred_at)s, %(draft_id)s, %(thread_id)s,
        %(contact_email)s, %(company_id)s, %(gmail_message_id)s, %(source)s, %(detail)s)
ON CONFLICT (event_key) DO NOTHING
RETURNING id
"""
_FOR_DRAFT = """
SELECT id, kind, occurred_at, draft_id, thread_id, contact_email, company_id,
       gmail_message_id, source, detail
FROM email_events WHERE draft_id = %(draft_id)s ORDER BY occurred_at, id
"""
_SENT_ON_THREAD = """
SELECT d.id, d.thread_id, d.contact_email, e.company_id
FROM drafts d JOIN email_events e ON e.draft_id = d.id AND e.kind = 'sent'
WHERE d.gmail_thread_id = %(gmail_thread_id)s
ORDER BY e.occurred_at DESC LIMIT 1
"""
_COUNT_COLUMNS = ", ".join(
    f"count(*) FILTER (WHERE kind = '{kind}') AS {kind}" for kind in EVENT_KINDS
)
_COUNTS = f"""
SELECT {_COUNT_COLUMNS} FROM email_events
WHERE %(company_id)s::text IS NULL OR company_id = %(company_id)s
"""
_DAILY = f"""
SELECT (occurred_at AT TIME ZONE %(tz)s)::date AS day, {_COUNT_COLUMNS}
FROM email_events
WHERE occurred_at >= (%(first)s::date::timestamp AT TIME ZONE %(tz)s)
  AND occurred_at < ((%(last)s::date + 1)::timestamp AT TIME ZONE %(tz)s)
GROUP BY day ORDER BY day
"""
_CONTACTS = f"""
SELECT contact_email, {_COUNT_COLUMNS}, max(occurred_at) AS last_event_at
FROM email_events
WHERE company_id = %(company_id)s AND contact_email IS NOT NULL
GROUP BY contact_email ORDER BY last_event_at DESC, contact_email
"""


def record_email_event(
    conn: Connection[DictRow],
    *,
    event_key: str,
    kind: EventKind,
    occurred_at: datetime,
    source: str,
    draft_id: str | None = None,
    thread_id: str | None = None,
    contact_email: str | None = None,
    company_id: str | None = None,
    gmail_message_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> bool:
    """Record one event; False when `event_key` was recorded already (a re-read, a retry)."""
    row = conn.execute(
        _INSERT,
        {
            "event_key": event_key,
            "kind": kind,
            "occurred_at": occurred_at,
            "draft_id": draft_id,
            "thread_id": thread_id,
            "contact_email": contact_email.lower() if contact_email else None,
            "company_id": company_id,
            "gmail_message_id": gmail_message_id,
            "source": source,
            "detail": Jsonb(detail or {}),
        },
    ).fetchone()
    return row is not None


def sent_draft_on_thread(
    conn: Connection[DictRow], *, gmail_thread_id: str
) -> dict[str, Any] | None:
    """The draft most recently sent on a Gmail thread, or None: what a reply there answers."""
    return conn.execute(_SENT_ON_THREAD, {"gmail_thread_id": gmail_thread_id}).fetchone()


def draft_events(conn: Connection[DictRow], *, draft_id: str) -> list[dict[str, Any]]:
    """A draft's events, oldest first."""
    return conn.execute(_FOR_DRAFT, {"draft_id": draft_id}).fetchall()


def event_counts(conn: Connection[DictRow], *, company_id: str | None = None) -> dict[str, int]:
    """How many events of each kind, for one company or all."""
    row = conn.execute(_COUNTS, {"company_id": company_id}).fetchone()
    assert row is not None
    return {kind: int(row[kind]) for kind in EVENT_KINDS}


def daily_stats(
    conn: Connection[DictRow], *, first: date, last: date, timezone: str
) -> dict[date, dict[str, int]]:
    """Counts per kind for each day in [first, last] (the operator's days) that had events."""
    rows = conn.execute(_DAILY, {"first": first, "last": last, "tz": timezone}).fetchall()
    return {row["day"]: {kind: int(row[kind]) for kind in EVENT_KINDS} for row in rows}


def contact_stats(conn: Connection[DictRow], *, company_id: str) -> list[dict[str, Any]]:
    """Counts per kind for each contact of a company, most recently active first."""
    return conn.execute(_CONTACTS, {"company_id": company_id}).fetchall()
