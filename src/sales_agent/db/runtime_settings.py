"""The runtime_settings table: one JSON value per key, shared by every process.

Mode, kill switch and quota limits live here so that a change made by one operator is what
every worker reads on its next check.
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

__all__ = ["get_setting", "lock_setting", "put_setting"]

_GET = "SELECT value FROM runtime_settings WHERE key = %(key)s"
# FOR UPDATE: two operators changing one key at once are applied (and audited) in order.
_LOCK = "SELECT value FROM runtime_settings WHERE key = %(key)s FOR UPDATE"
_PUT = """
INSERT INTO runtime_settings (key, value, updated_at, updated_by)
VALUES (%(key)s, %(value)s, now(), %(actor)s)
ON CONFLICT (key) DO UPDATE
SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
"""


def get_setting(conn: Connection[DictRow], key: str) -> Any:
    """The stored value of `key`, or None."""
    row = conn.execute(_GET, {"key": key}).fetchone()
    return None if row is None else row["value"]


def lock_setting(conn: Connection[DictRow], key: str) -> Any:
    """The stored value of `key` (or None), its row locked until the transaction ends."""
    row = conn.execute(_LOCK, {"key": key}).fetchone()
    return None if row is None else row["value"]


def put_setting(conn: Connection[DictRow], *, key: str, value: Any, actor: str) -> None:
    """Store `value` under `key`, recording who changed it."""
    conn.execute(_PUT, {"key": key, "value": Jsonb(value), "actor": actor})
