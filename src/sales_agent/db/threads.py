"""Per-thread rows of our own tables (drafts with their sends and events, the ledger)."""

from __future__ import annotations

from psycopg import Connection
from psycopg.rows import DictRow

__all__ = ["forget_thread"]

# Rows that point at a thread's drafts go before the drafts.
_DELETE_EVENTS = "DELETE FROM email_events WHERE thread_id = %(thread_id)s"
_DELETE_SCHEDULED = "DELETE FROM scheduled_sends WHERE thread_id = %(thread_id)s"
_DELETE_DRAFTS = "DELETE FROM drafts WHERE thread_id = %(thread_id)s"
_DELETE_SIDE_EFFECTS = "DELETE FROM side_effects WHERE thread_id = %(thread_id)s"


def forget_thread(conn: Connection[DictRow], *, thread_id: str) -> None:
    """Delete a thread's drafts, sends, events and ledger entries (the audit trail stays)."""
    with conn.transaction():
        conn.execute(_DELETE_EVENTS, {"thread_id": thread_id})
        conn.execute(_DELETE_SCHEDULED, {"thread_id": thread_id})
        conn.execute(_DELETE_DRAFTS, {"thread_id": thread_id})
        conn.execute(_DELETE_SIDE_EFFECTS, {"thread_id": thread_id})
