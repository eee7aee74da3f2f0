"""The thread API's registry of threads (metadata, creation time); state is in checkpoints."""

from __future__ import annotations

from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

__all__ = [
    "delete_thread",
    "get_thread",
    "insert_thread",
    "merge_metadata",
    "search_threads",
    "touch_thread",
]

_INSERT = """
INSERT INTO agent_threads (thread_id, metadata) VALUES (%(thread_id)s, %(metadata)s)
ON CONFLICT (thread_id) DO NOTHING
RETURNING thread_id, metadata, created_at, updated_at
"""
_GET = """
SELECT thread_id, metadata, created_at, updated_at FROM agent_threads
WHERE thread_id = %(thread_id)s
"""
_SEARCH = """
SELECT thread_id, metadata, created_at, updated_at FROM agent_threads
WHERE metadata @> %(metadata)s AND (%(ids)s::text[] IS NULL OR thread_id = ANY(%(ids)s))
ORDER BY updated_at DESC, thread_id
"""
_TOUCH = """
INSERT INTO agent_threads (thread_id, metadata) VALUES (%(thread_id)s, %(metadata)s)
ON CONFLICT (thread_id) DO UPDATE
SET updated_at = now(), metadata = agent_threads.metadata || EXCLUDED.metadata
"""
_MERGE_METADATA = """
INSERT INTO agent_threads (thread_id, metadata) VALUES (%(thread_id)s, %(metadata)s)
ON CONFLICT (thread_id) DO UPDATE
SET metadata = agent_threads.metadata || EXCLUDED.metadata, updated_at = now()
RETURNING thread_id, metadata, created_at, updated_at
"""
_DELETE = "DELETE FROM agent_threads WHERE thread_id = %(thread_id)s"


def insert_thread(
    conn: Connection[DictRow], *, thread_id: str, metadata: dict[str, Any]
) -> DictRow | None:
    """Register a thread; None when the id is taken."""
    return conn.execute(_INSERT, {"thread_id": thread_id, "metadata": Jsonb(metadata)}).fetchone()


def get_thread(conn: Connection[DictRow], *, thread_id: str) -> DictRow | None:
    """A registered thread, or None."""
    return conn.execute(_GET, {"thread_id": thread_id}).fetchone()


def touch_thread(
    conn: Connection[DictRow], *, thread_id: str, graph_id: str, assistant_id: str
) -> None:
    """Register the thread if needed and bump its update time (a run happened on it).

    Like the Agent Server, the run's `graph_id` and `assistant_id` go into the thread's
    metadata: Agent Chat UI lists an assistant's threads by them.
    """
    metadata = {"graph_id": graph_id, "assistant_id": assistant_id}
    conn.execute(_TOUCH, {"thread_id": thread_id, "metadata": Jsonb(metadata)})


def search_threads(
    conn: Connection[DictRow], *, metadata: dict[str, Any], ids: list[str] | None
) -> list[DictRow]:
    """Registered threads whose metadata contains `metadata` (and among `ids`), newest first."""
    return conn.execute(_SEARCH, {"metadata": Jsonb(metadata), "ids": ids}).fetchall()


def merge_metadata(
    conn: Connection[DictRow], *, thread_id: str, metadata: dict[str, Any]
) -> DictRow | None:
    """Merge `metadata` into the thread's (registering it if it only had checkpoints)."""
    params = {"thread_id": thread_id, "metadata": Jsonb(metadata)}
    return conn.execute(_MERGE_METADATA, params).fetchone()


def delete_thread(conn: Connection[DictRow], *, thread_id: str) -> None:
    """Forget the thread's registry row (its checkpoints go through the checkpointer)."""
    conn.execute(_DELETE, {"thread_id": thread_id})
