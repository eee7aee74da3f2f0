"""The drafts table: one row per draft revision, its status following the approval."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypedDict, Unpack, get_args

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

__all__ = [
    "DRAFT_STATUSES",
    "DraftFields",
    "DraftStatus",
    "get_draft",
    "list_drafts",
    "set_draft_status",
    "upsert_failed_draft",
    "upsert_pending_draft",
    "upsert_rejected_draft",
]

DraftStatus = Literal[
    "pending_approval",
    "approved",
    "edited",
    "ignored",
    "rejected",
    "blocked",
    "superseded",
    "sent",
    "handled",
    "expired",
    "failed",
]
"""The statuses the table allows (migration 0007's check constraint)."""
DRAFT_STATUSES: tuple[str, ...] = get_args(DraftStatus)
PREVIEW_CHARS = 160

# A rejected draft (the quality gate's) never reached Gmail: it comes without a Gmail draft id.
_UPSERT = """
INSERT INTO drafts (thread_id, revision, status, contact_email, subject, body,
                    gmail_thread_id, gmail_draft_id, gate, slots, context, created_at)
VALUES (%(thread_id)s, %(revision)s, %(status)s, %(contact_email)s, %(subject)s,
        %(body)s, %(gmail_thread_id)s, %(gmail_draft_id)s, %(gate)s, %(slots)s, %(context)s,
        %(created_at)s)
ON CONFLICT (thread_id, revision) DO UPDATE SET
    status = EXCLUDED.status, subject = EXCLUDED.subject, body = EXCLUDED.body,
    gmail_thread_id = EXCLUDED.gmail_thread_id,
    gmail_draft_id = coalesce(EXCLUDED.gmail_draft_id, drafts.gmail_draft_id),
    gate = EXCLUDED.gate, slots = EXCLUDED.slots, context = EXCLUDED.context,
    updated_at = now()
RETURNING id
"""
# A sent draft stays sent: its scheduled job may finish before the run records "approved".
_SET_STATUS = """
UPDATE drafts SET status = %(status)s, subject = coalesce(%(subject)s, subject),
    body = coalesce(%(body)s, body), sent_message_id = coalesce(%(sent)s, sent_message_id),
    updated_at = now()
WHERE id = %(id)s AND (status <> 'sent' OR %(status)s = 'sent')
"""


class DraftFields(TypedDict):
    """A draft revision's content, as a node records it."""

    thread_id: str
    revision: int
    contact_email: str
    subject: str
    body: str
    gmail_thread_id: str | None
    gate: dict[str, Any]
    slots: list[dict[str, Any]]
    context: dict[str, Any]
    created_at: datetime
    """The run's clock when the revision was first recorded: the approval window counts from
    it, against the same run clock (never the database's), so a pinned clock stays one clock."""


def _upsert(
    conn: Connection[DictRow], status: str, gmail_draft_id: str | None, fields: DraftFields
) -> str:
    row = conn.execute(
        _UPSERT,
        {
            **fields,
            "status": status,
            "gmail_draft_id": gmail_draft_id,
            "gate": Jsonb(fields["gate"]),
            "slots": Jsonb(fields["slots"]),
            "context": Jsonb(fields["context"]),
        },
    ).fetchone()
    assert row is not None
    return str(row["id"])


def upsert_pending_draft(
    conn: Connection[DictRow], *, gmail_draft_id: str, **fields: Unpack[DraftFields]
) -> str:
    """Record a draft awaiting approval (idempotent per thread and revision); return its id."""
    return _upsert(conn, "pending_approval", gmail_draft_id, fields)


def upsert_rejected_draft(conn: Connection[DictRow], **fields: Unpack[DraftFields]) -> str:
    """Record a draft the gate rejected (it never reached Gmail); return its id."""
    return _upsert(conn, "rejected", None, fields)


def upsert_failed_draft(conn: Connection[DictRow], **fields: Unpack[DraftFields]) -> str:
    """Record the draft of a run that failed for good (whatever it had got to); its id."""
    return _upsert(conn, "failed", None, fields)


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


# Every filter is optional: a NULL parameter matches every row.
_FILTER = """
WHERE (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(contact_email)s::text IS NULL OR lower(contact_email) = %(contact_email)s)
  AND (%(thread_id)s::text IS NULL OR thread_id = %(thread_id)s)
"""
_COUNT = f"SELECT count(*) AS total FROM drafts {_FILTER}"
# The list carries a preview (whitespace folded), not the body.
_LIST = f"""
SELECT id::text AS id, thread_id, revision, status, contact_email, subject,
       left(regexp_replace(body, '\\s+', ' ', 'g'), {PREVIEW_CHARS}) AS preview,
       gate ->> 'status' AS gate_status, context -> 'plan' ->> 'action' AS plan_action,
       gmail_draft_id, created_at, updated_at
FROM drafts {_FILTER}
ORDER BY created_at DESC, revision DESC, id
LIMIT %(limit)s OFFSET %(offset)s
"""
_GET = """
SELECT id::text AS id, thread_id, revision, status, contact_email, subject, body,
       gmail_thread_id, gmail_draft_id, gate, slots, context, sent_message_id,
       created_at, updated_at
FROM drafts WHERE id = %(id)s
"""


def list_drafts(
    conn: Connection[DictRow],
    *,
    status: str | None = None,
    contact_email: str | None = None,
    thread_id: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[DictRow], int]:
    """Drafts matching every given filter, newest first, with the total across pages."""
    params = {
        "status": status,
        "contact_email": contact_email.lower() if contact_email else None,
        "thread_id": thread_id,
    }
    count = conn.execute(_COUNT, params).fetchone()
    assert count is not None
    rows = conn.execute(_LIST, {**params, "limit": limit, "offset": offset}).fetchall()
    return rows, int(count["total"])


def get_draft(conn: Connection[DictRow], *, draft_id: str) -> DictRow | None:
    """One draft row by id (a UUID string), or None."""
    return conn.execute(_GET, {"id": draft_id}).fetchone()
