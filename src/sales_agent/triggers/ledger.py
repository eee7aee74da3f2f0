"""What the trigger sources already delivered: seen event ids, cursors, one sync at a time.

`webhook_events` holds every delivery (a HubSpot event id, a Pub/Sub message id) and every
item a sync started a run for (`submission:<id>`, `message:<id>`), so a redelivery, or a
webhook and the poller both seeing one change, starts nothing twice. `trigger_cursors`
holds where each source stopped reading. A session advisory lock per source serializes
syncs across processes: two notifications never read the same cursor at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

__all__ = [
    "CursorSource",
    "EventSource",
    "get_cursor",
    "locked",
    "record_event",
    "record_new_events",
    "seen_event",
    "set_cursor",
]

EventSource = Literal["hubspot", "gmail"]
"""The `webhook_events.source` values (migration 0006's check constraint)."""
CursorSource = Literal["gmail", "hubspot_forms"]
"""The `trigger_cursors.source` values we keep."""

_LOCK = "SELECT pg_advisory_lock(hashtext(%(key)s))"
_UNLOCK = "SELECT pg_advisory_unlock(hashtext(%(key)s))"
_SEEN = "SELECT 1 FROM webhook_events WHERE source = %(source)s AND event_id = %(event_id)s"
_RECORD = """
INSERT INTO webhook_events (source, event_id, run_id)
VALUES (%(source)s, %(event_id)s, %(run_id)s)
ON CONFLICT (source, event_id) DO NOTHING
"""
_RECORD_NEW = """
INSERT INTO webhook_events (source, event_id)
SELECT %(source)s, unnest(%(event_ids)s::text[])
ON CONFLICT (source, event_id) DO NOTHING
RETURNING event_id
"""
_GET_CURSOR = "SELECT cursor FROM trigger_cursors WHERE source = %(source)s"
_SET_CURSOR = """
INSERT INTO trigger_cursors (source, cursor) VALUES (%(source)s, %(cursor)s)
ON CONFLICT (source) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()
"""


@contextmanager
def locked(pool: ConnectionPool[Connection[DictRow]], name: str) -> Iterator[Connection[DictRow]]:
    """Hold the lock named `name` for the block; yields an autocommit connection to use.

    A session lock rather than a transaction's: each write inside commits at once, so a
    failure half-way keeps what was already recorded (the runs already queued stay deduped).
    """
    key = {"key": f"sales_agent.triggers:{name}"}
    with pool.connection() as conn:
        conn.execute(_LOCK, key)
        try:
            yield conn
        finally:
            if not conn.closed:  # a lost connection's session, and its lock, are gone already
                conn.execute(_UNLOCK, key)


def seen_event(conn: Connection[DictRow], *, source: EventSource, event_id: str) -> bool:
    """True when `event_id` from `source` was already handled."""
    return conn.execute(_SEEN, {"source": source, "event_id": event_id}).fetchone() is not None


def record_event(
    conn: Connection[DictRow], *, source: EventSource, event_id: str, run_id: str | None = None
) -> None:
    """Remember `event_id` as handled (and the run it started, if one); idempotent."""
    conn.execute(_RECORD, {"source": source, "event_id": event_id, "run_id": run_id})


def record_new_events(
    conn: Connection[DictRow], *, source: EventSource, event_ids: list[str]
) -> set[str]:
    """Remember each of `event_ids` from `source`; the ones not seen before."""
    rows = conn.execute(_RECORD_NEW, {"source": source, "event_ids": event_ids}).fetchall()
    return {row["event_id"] for row in rows}


def get_cursor(conn: Connection[DictRow], *, source: CursorSource) -> str | None:
    """Where `source` stopped reading, or None before its first sync."""
    row = conn.execute(_GET_CURSOR, {"source": source}).fetchone()
    return None if row is None else str(row["cursor"])


def set_cursor(conn: Connection[DictRow], *, source: CursorSource, cursor: str) -> None:
    """Move `source`'s cursor to `cursor`."""
    conn.execute(_SET_CURSOR, {"source": source, "cursor": cursor})
