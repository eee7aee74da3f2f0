"""The sequences table (migration 0010): SQL only, no rules.

A contact's own cadence lives in `sequence_cadences.py`. The rules (when a sequence starts,
stops, pauses or records a touch, and the audit of each) live in `policy/sequences.py`;
this module only reads and writes rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

from sales_agent.domain.sequence import Cadence, SequenceStatus

__all__ = [
    "DueTouch",
    "SequenceRow",
    "claim_due",
    "enrol_row",
    "get_sequence",
    "list_sequences",
    "live_sequences_for",
    "mark_paused",
    "mark_stopped",
    "mark_touch",
    "reschedule",
]

_COLUMNS = """id, contact_email, gmail_thread_id, origin_thread_id, status, touches_done,
    max_touches, cadence_days, pending_touch, last_touch_at, next_due_at, assets_sent,
    handled_message_ids, stop_reason, stopped_at, created_at, updated_at"""

# One live sequence per address: a second first touch to the same lead joins nothing.
_ENROL = f"""
INSERT INTO sequences (contact_email, gmail_thread_id, origin_thread_id, max_touches,
                       cadence_days, last_touch_at, next_due_at, status, created_at, updated_at)
VALUES (%(email)s, %(gmail_thread_id)s, %(origin)s, %(max_touches)s, %(days)s, %(now)s,
        %(next_due)s, %(status)s, %(now)s, %(now)s)
ON CONFLICT DO NOTHING
RETURNING {_COLUMNS}
"""
_GET = f"SELECT {_COLUMNS} FROM sequences WHERE id = %(id)s"
_LIST = f"""
SELECT {_COLUMNS} FROM sequences
WHERE (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(email)s::text IS NULL OR lower(contact_email) = lower(%(email)s))
ORDER BY id DESC LIMIT %(limit)s
"""
# What is due: claimed in one statement (its next_due_at cleared, the touch noted), so two
# run-due ticks, or two workers, never queue the same touch twice.
_CLAIM_DUE = """
UPDATE sequences SET next_due_at = NULL, pending_touch = touches_done + 1, updated_at = %(now)s
WHERE id IN (
    SELECT id FROM sequences
    WHERE status = 'active' AND next_due_at <= %(now)s
    ORDER BY next_due_at LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
RETURNING id, pending_touch
"""
# Live sequences an inbound message concerns: its Gmail thread, the address itself, or the
# same company's domain (free-mail domains excluded by the caller passing no domain).
_LIVE_FOR = f"""
SELECT {_COLUMNS} FROM sequences
WHERE status IN ('active', 'paused')
  AND (gmail_thread_id = %(gmail_thread_id)s
       OR lower(contact_email) = lower(%(email)s)
       OR (%(domain)s::text IS NOT NULL
           AND split_part(lower(contact_email), '@', 2) = lower(%(domain)s)))
ORDER BY id
"""
_STOP = f"""
UPDATE sequences SET status = %(status)s, stop_reason = %(reason)s, stopped_at = %(now)s,
    next_due_at = NULL, pending_touch = NULL, updated_at = %(now)s
WHERE id = %(id)s AND status IN ('active', 'paused')
RETURNING {_COLUMNS}
"""
_PAUSE = f"""
UPDATE sequences SET status = 'paused', updated_at = %(now)s
WHERE id = %(id)s AND status = 'active'
RETURNING {_COLUMNS}
"""
_RESCHEDULE = f"""
UPDATE sequences SET status = 'active', next_due_at = %(next_due)s, pending_touch = NULL,
    handled_message_ids = CASE WHEN %(handled)s::text IS NULL THEN handled_message_ids
                               ELSE array_append(handled_message_ids, %(handled)s) END,
    updated_at = %(now)s
WHERE id = %(id)s AND status IN ('active', 'paused')
RETURNING {_COLUMNS}
"""
# A touch counts once: a retried run that records it again changes nothing.
_TOUCH = f"""
UPDATE sequences SET touches_done = %(touch)s, last_touch_at = %(now)s, pending_touch = NULL,
    next_due_at = %(next_due)s,
    status = CASE WHEN status = 'paused' THEN status ELSE %(status)s END,
    assets_sent = CASE WHEN %(asset)s::text IS NULL THEN assets_sent
                       ELSE array_append(assets_sent, %(asset)s) END,
    updated_at = %(now)s
WHERE id = %(id)s AND touches_done < %(touch)s AND status IN ('active', 'paused')
RETURNING {_COLUMNS}
"""


class DueTouch(NamedTuple):
    """A touch claimed for queueing: which sequence, which follow-up."""

    sequence_id: int
    touch: int


class SequenceRow(BaseModel):
    """One sequence as stored."""

    model_config = ConfigDict(frozen=True)

    id: int
    contact_email: str
    gmail_thread_id: str
    origin_thread_id: str
    status: SequenceStatus
    touches_done: int
    max_touches: int
    cadence_days: list[int]
    pending_touch: int | None
    last_touch_at: datetime
    next_due_at: datetime | None
    assets_sent: list[str]
    handled_message_ids: list[str]
    """Inbound Message-IDs already dealt with (an out of office): not a reply at due time."""
    stop_reason: str | None
    stopped_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def cadence(self) -> Cadence:
        """The cadence the sequence was enrolled with."""
        return Cadence(days=tuple(self.cadence_days), max_touches=self.max_touches)


def _one(row: DictRow | None) -> SequenceRow | None:
    return None if row is None else SequenceRow.model_validate(row)


def enrol_row(
    conn: Connection[DictRow],
    *,
    email: str,
    gmail_thread_id: str,
    origin_thread_id: str,
    cadence: Cadence,
    now: datetime,
    next_due: datetime | None,
) -> SequenceRow | None:
    """Insert a sequence; None when the lead already has a live one (or this origin did)."""
    status = "active" if cadence.max_touches > 0 else "completed"
    params = {
        "email": email.lower(),
        "gmail_thread_id": gmail_thread_id,
        "origin": origin_thread_id,
        "max_touches": cadence.max_touches,
        "days": list(cadence.days),
        "now": now,
        "next_due": next_due if status == "active" else None,
        "status": status,
    }
    return _one(conn.execute(_ENROL, params).fetchone())


def get_sequence(conn: Connection[DictRow], sequence_id: int) -> SequenceRow | None:
    """One sequence by id."""
    return _one(conn.execute(_GET, {"id": sequence_id}).fetchone())


def list_sequences(
    conn: Connection[DictRow],
    *,
    status: SequenceStatus | None = None,
    email: str | None = None,
    limit: int = 100,
) -> list[SequenceRow]:
    """Sequences, newest first, by status and address when given."""
    params = {"status": status, "email": email, "limit": limit}
    return [SequenceRow.model_validate(row) for row in conn.execute(_LIST, params)]


def claim_due(conn: Connection[DictRow], *, now: datetime, limit: int) -> list[DueTouch]:
    """Take up to `limit` active sequences due at `now`; each is claimed for its next touch."""
    rows = conn.execute(_CLAIM_DUE, {"now": now, "limit": limit}).fetchall()
    return [DueTouch(row["id"], row["pending_touch"]) for row in rows]


def live_sequences_for(
    conn: Connection[DictRow], *, gmail_thread_id: str, email: str, domain: str | None
) -> list[SequenceRow]:
    """The live sequences a message on `gmail_thread_id` from `email` concerns."""
    params = {"gmail_thread_id": gmail_thread_id, "email": email, "domain": domain}
    return [SequenceRow.model_validate(row) for row in conn.execute(_LIVE_FOR, params)]


def mark_stopped(
    conn: Connection[DictRow],
    *,
    sequence_id: int,
    reason: str,
    now: datetime,
    status: SequenceStatus = "stopped",
) -> SequenceRow | None:
    """End a live sequence; None when it was not live (already ended)."""
    params = {"id": sequence_id, "reason": reason, "now": now, "status": status}
    return _one(conn.execute(_STOP, params).fetchone())


def mark_paused(
    conn: Connection[DictRow], *, sequence_id: int, now: datetime
) -> SequenceRow | None:
    """Pause an active sequence; None when it was not active."""
    return _one(conn.execute(_PAUSE, {"id": sequence_id, "now": now}).fetchone())


def reschedule(
    conn: Connection[DictRow],
    *,
    sequence_id: int,
    next_due: datetime,
    now: datetime,
    handled_message_id: str | None = None,
) -> SequenceRow | None:
    """Make a live sequence active again, its next touch due at `next_due`."""
    params = {"id": sequence_id, "next_due": next_due, "now": now, "handled": handled_message_id}
    return _one(conn.execute(_RESCHEDULE, params).fetchone())


def mark_touch(
    conn: Connection[DictRow],
    *,
    sequence_id: int,
    touch: int,
    now: datetime,
    next_due: datetime | None,
    asset_id: str | None,
) -> SequenceRow | None:
    """Count follow-up `touch` as prepared; completed when `next_due` is None. Idempotent."""
    params = {
        "id": sequence_id,
        "touch": touch,
        "now": now,
        "next_due": next_due,
        "status": "active" if next_due is not None else "completed",
        "asset": asset_id,
    }
    return _one(conn.execute(_TOUCH, params).fetchone())
