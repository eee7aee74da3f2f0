"""Messages the Gmail sync has stored but not yet embedded, and the drain that embeds them.

Why the sync does not embed as it fetches: the packaged model embeds about 55 messages a
second on two cores while a mailbox serves hundreds, and an embedding provider that is down
or rate-limited would fail a sync that had nothing wrong with its mail. So a sync chunk's
documents go into `memory_message_backlog` in the chunk's own transaction (with its
checkpoint), and `embed_backlog` turns them into `memory_messages` rows a chunk per
transaction: the chunk's vectors in, its backlog rows out. A drain killed midway loses
nothing (its open chunk rolls back and stays queued), and drains running side by side take
different chunks (`FOR UPDATE SKIP LOCKED`). A queued message is not found by a memory
search until it is embedded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.messages import MessageDocument, open_message_store
from sales_agent.memory.vector_index import MEMORY_MESSAGES, Pool
from sales_agent.memory.vector_rows import VectorRow, upsert_rows

__all__ = [
    "BACKLOG_TABLE",
    "DrainStats",
    "embed_backlog",
    "forget_queued",
    "queue_documents",
    "queued_count",
    "queued_ids",
]

BACKLOG_TABLE = "memory_message_backlog"
# Messages per drain transaction: one embedding call, one upsert, one delete. Small enough
# that a chunk's row locks are held for a few seconds of the local model's time.
_CHUNK = 200

_QUEUE = f"""
INSERT INTO {BACKLOG_TABLE} (message_id, content, metadata)
SELECT * FROM unnest(%s::text[], %s::text[], %s::jsonb[])
ON CONFLICT (message_id) DO UPDATE
SET content = EXCLUDED.content, metadata = EXCLUDED.metadata, queued_at = now()
"""
_TAKE = f"""
SELECT message_id, content, metadata FROM {BACKLOG_TABLE}
ORDER BY queued_at, message_id
LIMIT %s
FOR UPDATE SKIP LOCKED
"""
_FORGET = f"DELETE FROM {BACKLOG_TABLE} WHERE message_id = ANY(%s)"
_AMONG = f"SELECT message_id FROM {BACKLOG_TABLE} WHERE message_id = ANY(%s)"
_ALL = f"SELECT message_id FROM {BACKLOG_TABLE}"
_COUNT = f"SELECT count(*) AS n FROM {BACKLOG_TABLE}"

Progress = Callable[[int, int], None]
"""Called as `(embedded, total)` while the backlog drains."""


class DrainStats(BaseModel):
    """What one drain embedded, and how long it took."""

    model_config = ConfigDict(frozen=True)

    embedded: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Messages embedded per second (0 when there was nothing to embed)."""
        return self.embedded / self.seconds if self.embedded and self.seconds else 0.0


def queue_documents(conn: Connection[DictRow], documents: Sequence[MessageDocument]) -> int:
    """Queue `documents` for embedding, on the caller's transaction; return how many."""
    if documents:
        conn.execute(
            _QUEUE,
            [
                [d.message_id for d in documents],
                [d.text for d in documents],
                [json.dumps(d.metadata, default=str) for d in documents],
            ],
        )
    return len(documents)


def queued_ids(pool: Pool, among: Sequence[str] | None) -> set[str]:
    """The queued message ids: all of them, or those of `among`."""
    with pool.connection() as conn:
        rows = (
            conn.execute(_ALL).fetchall()
            if among is None
            else conn.execute(_AMONG, (list(among),)).fetchall()
        )
    return {str(row["message_id"]) for row in rows}


def queued_count(conn: Connection[DictRow]) -> int:
    """How many messages wait to be embedded."""
    row = conn.execute(_COUNT).fetchone()
    return int(row["n"]) if row is not None else 0


def forget_queued(conn: Connection[DictRow], message_ids: Sequence[str]) -> None:
    """Drop `message_ids` from the backlog (embedded meanwhile, or gone from the mailbox)."""
    if message_ids:
        conn.execute(_FORGET, (list(message_ids),))


def embed_backlog(services: MemoryServices, *, progress: Progress | None = None) -> DrainStats:
    """Embed every queued message into `memory_messages`, a chunk per transaction."""
    open_message_store(services)  # the table, for the configured embeddings (or a clear error)
    started = time.perf_counter()
    with services.pool.connection() as conn:
        total = queued_count(conn)
    embedded = 0
    if progress is not None:
        progress(0, total)
    while chunk := _embed_chunk(services):
        embedded += chunk
        if progress is not None:
            progress(embedded, max(total, embedded))
    return DrainStats(embedded=embedded, seconds=round(time.perf_counter() - started, 3))


def _embed_chunk(services: MemoryServices) -> int:
    """Embed and store the oldest unlocked chunk; 0 when none is left."""
    with services.pool.connection() as conn, conn.transaction():
        rows = conn.execute(_TAKE, (_CHUNK,)).fetchall()
        if not rows:
            return 0
        vectors = services.embeddings.embed_documents([str(row["content"]) for row in rows])
        upsert_rows(
            conn,
            MEMORY_MESSAGES,
            [
                VectorRow(str(row["message_id"]), str(row["content"]), vector, _metadata(row))
                for row, vector in zip(rows, vectors, strict=True)
            ],
        )
        forget_queued(conn, [str(row["message_id"]) for row in rows])
    return len(rows)


def _metadata(row: DictRow) -> dict[str, Any]:
    # jsonb comes back as a dict; the timestamp as its ISO text, which the upsert casts back.
    metadata: dict[str, Any] = row["metadata"]
    return metadata
