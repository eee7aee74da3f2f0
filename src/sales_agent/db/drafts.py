"""The drafts table: one row per draft revision, its status following the approval."""

from __future__ import annotations

from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

__all__ = ["set_draft_status", "upsert_pending_draft"]

_UPSERT_PENDING = """
INSERT INTO drafts (thread_id, revision, status, contact_email, subject, body,
                    gmail_thread_id, gmail_draft_id, gate, slots, context)
VALUES (%(thread_id)s, %(revision)s, 'pending_approval', %(contact_email)s, %(subject)s,
        %(body)s, %(gmail_thread_id)s, %(gmail_draft_id)s, %(gate)s, %(slots)s, %(context)s)
ON CONFLICT (thread_id, revision) DO UPDATE SET
    status = 'pending_approval', subject = EXCLUDED.subject, body = EXCLUDED.body,
    gmail_thread_id = EXCLUDED.gmail_thread_id, gmail_draft_id = EXCLUDED.gmail_draft_id,
    gate = EXCLUDED.gate, slots = EXCLUDED.slots, context = EXCLUDED.context,
    updated_at = now()
RETURNING id
"""
_SET_STATUS = """
UPDATE drafts SET status = %(status)s, subject = coalesce(%(subject)s, subject),
    body = coalesce(%(body)s, body), sent_message_id = coalesce(%(sent)s, sent_message_id),
    updated_at = now()
WHERE id = %(id)s
"""


def upsert_pending_draft(
    conn: Connection[DictRow],
    *,
    thread_id: str,
    revision: int,
    contact_email: str,
    subject: str,
    body: str,
    gmail_thread_id: str | None,
    gmail_draft_id: str,
    gate: dict[str, Any],
    slots: list[dict[str, Any]],
    context: dict[str, Any],
) -> str:
    """Record a draft awaiting approval (idempotent per thread and revision); return its id."""
    row = conn.execute(
        _UPSERT_PENDING,
        {
            "thread_id": thread_id,
            "revision": revision,
            "contact_email": contact_email,
            "subject": subject,
            "body": body,
            "gmail_thread_id": gmail_thread_id,
            "gmail_draft_id": gmail_draft_id,
            "gate": Jsonb(gate),
            "slots": Jsonb(slots),
            "context": Jsonb(context),
        },
    ).fetchone()
    assert row is not None
    return str(row["id"])


def set_draft_status(
    conn: Connection[DictRow],
    *,
    draft_id: str,
    status: str,
    subject: str | None = None,
    body: str | None = None,
    sent_message_id: str | None = None,
) -> None:
    """Move a draft to `status`, optionally with the operator's edited text or the sent id."""
    conn.execute(
        _SET_STATUS,
        {
            "id": draft_id,
            "status": status,
            "subject": subject,
            "body": body,
            "sent": sent_message_id,
        },
    )
