"""The audit trail: append-only events with actor and reason (the database keeps the chain)."""

from __future__ import annotations

from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

__all__ = ["record_event"]

_INSERT_EVENT = """
INSERT INTO audit_log (actor, action, thread_id, draft_id, reason, metadata)
VALUES (%(actor)s, %(action)s, %(thread_id)s, %(draft_id)s, %(reason)s, %(metadata)s)
RETURNING id
"""


def record_event(
    conn: Connection[DictRow],
    *,
    actor: str,
    action: str,
    thread_id: str | None = None,
    draft_id: str | None = None,
    reason: str = "",
    metadata: dict[str, Any] | None = None,
) -> int:
    """Append one event and return its id."""
    row = conn.execute(
        _INSERT_EVENT,
        {
            "actor": actor,
            "action": action,
            "thread_id": thread_id,
            "draft_id": draft_id,
            "reason": reason,
            "metadata": Jsonb(metadata or {}),
        },
    ).fetchone()
    assert row is not None
    return int(row["id"])
