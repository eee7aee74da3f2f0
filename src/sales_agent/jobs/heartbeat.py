"""Worker heartbeats in `worker_heartbeats`: `/ready` wants a recent one."""

from __future__ import annotations

from datetime import datetime

from psycopg import Connection
from psycopg.rows import DictRow

__all__ = ["beat", "last_beat", "remove_worker", "worker_alive"]

_BEAT = """
INSERT INTO worker_heartbeats (worker_id, jobs_done) VALUES (%(worker_id)s, %(jobs_done)s)
ON CONFLICT (worker_id) DO UPDATE SET beat_at = now(), jobs_done = EXCLUDED.jobs_done
"""
_REMOVE = "DELETE FROM worker_heartbeats WHERE worker_id = %(worker_id)s"
_LAST = "SELECT max(beat_at) AS beat_at FROM worker_heartbeats"
_ALIVE = """
SELECT EXISTS (
    SELECT 1 FROM worker_heartbeats WHERE beat_at > now() - make_interval(secs => %(within)s)
) AS alive
"""


def beat(conn: Connection[DictRow], *, worker_id: str, jobs_done: int) -> None:
    """Record that a worker is alive (registering it on its first beat)."""
    conn.execute(_BEAT, {"worker_id": worker_id, "jobs_done": jobs_done})


def remove_worker(conn: Connection[DictRow], *, worker_id: str) -> None:
    """Forget a worker that stopped cleanly."""
    conn.execute(_REMOVE, {"worker_id": worker_id})


def last_beat(conn: Connection[DictRow]) -> datetime | None:
    """When any worker last beat, or None if none ever did."""
    row = conn.execute(_LAST).fetchone()
    return None if row is None else row["beat_at"]


def worker_alive(conn: Connection[DictRow], *, within: float) -> bool:
    """Whether some worker beat in the last `within` seconds."""
    row = conn.execute(_ALIVE, {"within": within}).fetchone()
    return bool(row and row["alive"])
