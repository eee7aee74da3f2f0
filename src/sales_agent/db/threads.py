"""Per-thread rows of our own tables (drafts, the side-effect ledger)."""

from __future__ import annotations

from psycopg import Connection
from psycopg.rows import DictRow

__all__ = ["forget_thread"]

_DELETE_DRAFTS = "DELETE FROM drafts WHERE thread_id = %(thread_id)s"
_DELETE_SIDE_EFFECTS = "DELETE FROM side_effects WHERE thread_id = %(thread_id)s"


def forget_thread(conn: Connection[DictRow], *, thread_id: str) -> None:
    """Delete a thread's drafts and ledger entries (the audit trail stays: it is append-only)."""
    with conn.transaction():
        conn.execute(_DELETE_DRAFTS, {"thread_id": thread_id})
        conn.execute(_DELETE_SIDE_EFFECTS, {"thread_id": thread_id})
