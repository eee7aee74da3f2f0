"""Where a running index job got to: a row per job, so a killed sync continues where it stopped.

A Gmail sync records, chunk by chunk and in the same transaction as the chunk's rows, how
many messages it has handled and which ones it fetched without indexing (drafts, chats,
messages gone meanwhile). A rerun after a kill skips what the index holds and what the
checkpoint says was passed over, so nothing is fetched twice; a completed sync deletes its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.memory.vector_index import Pool

__all__ = [
    "Checkpoint",
    "advance_checkpoint",
    "begin_checkpoint",
    "finish_checkpoint",
    "load_checkpoint",
]

_LOAD = "SELECT done, total, passed FROM index_checkpoints WHERE job = %s"
_BEGIN = """
INSERT INTO index_checkpoints (job, done, total) VALUES (%(job)s, %(done)s, %(total)s)
ON CONFLICT (job) DO UPDATE SET done = EXCLUDED.done, total = EXCLUDED.total, updated_at = now()
"""
_ADVANCE = """
UPDATE index_checkpoints
SET done = done + %(done)s, passed = passed || %(passed)s::text[], updated_at = now()
WHERE job = %(job)s
"""
_FINISH = "DELETE FROM index_checkpoints WHERE job = %s"


@dataclass(frozen=True)
class Checkpoint:
    """An interrupted job's progress: handled so far, of how many, and the ids passed over."""

    done: int
    total: int
    passed: frozenset[str]


def load_checkpoint(pool: Pool, job: str) -> Checkpoint | None:
    """The checkpoint an interrupted `job` left, or None when the last run completed."""
    with pool.connection() as conn:
        row = conn.execute(_LOAD, (job,)).fetchone()
    if row is None:
        return None
    return Checkpoint(int(row["done"]), int(row["total"]), frozenset(row["passed"]))


def begin_checkpoint(pool: Pool, job: str, *, done: int, total: int) -> None:
    """Record that `job` runs, `done` of `total` handled (a resumed job starts where it was)."""
    with pool.connection() as conn:
        conn.execute(_BEGIN, {"job": job, "done": done, "total": total})


def advance_checkpoint(
    conn: Connection[DictRow], job: str, *, done: int, passed: Sequence[str]
) -> None:
    """`done` more handled, `passed` of them not indexed; in the caller's transaction."""
    conn.execute(_ADVANCE, {"job": job, "done": done, "passed": list(passed)})


def finish_checkpoint(conn: Connection[DictRow], job: str) -> None:
    """The job completed: forget its checkpoint (in the transaction that stores its result)."""
    conn.execute(_FINISH, (job,))
