"""The idempotency ledger: every external write is keyed and recorded before and after.

A node re-run after a crash, a retry or a redelivered trigger finds the finished record and
reuses its result instead of calling the service again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

__all__ = ["run_once"]

logger = logging.getLogger(__name__)

_CLAIM = """
INSERT INTO side_effects (key, kind, thread_id, status)
VALUES (%(key)s, %(kind)s, %(thread_id)s, 'started')
ON CONFLICT (key) DO UPDATE SET updated_at = now()
RETURNING status, result, (xmax = 0) AS inserted
"""
_FINISH = """
UPDATE side_effects SET status = 'done', result = %(result)s, updated_at = now()
WHERE key = %(key)s
"""


def run_once(
    pool: ConnectionPool[Connection[DictRow]],
    *,
    key: str,
    kind: str,
    thread_id: str,
    call: Callable[[], dict[str, Any]],
    recover: Callable[[], dict[str, Any] | None] | None = None,
) -> dict[str, Any]:
    """Run `call` unless a finished record for `key` exists; return the (stored) result.

    A row left 'started' means an earlier attempt died between the call and its record, so
    the call may have happened: `recover` (when given) looks for its result in the service
    (e.g. a draft carrying the key) and, if found, it is recorded instead of calling again.
    """
    with pool.connection() as conn:
        row = conn.execute(_CLAIM, {"key": key, "kind": kind, "thread_id": thread_id}).fetchone()
    assert row is not None
    if row["status"] == "done":
        result: dict[str, Any] = row["result"]
        return result
    found = recover() if recover is not None and row["inserted"] is False else None
    if found is not None:
        logger.warning("side effect %s recovered from an interrupted attempt (%s)", kind, key)
    result = found if found is not None else call()
    with pool.connection() as conn:
        conn.execute(_FINISH, {"key": key, "result": Jsonb(result)})
    logger.info("side effect %s done (%s)", kind, key)
    return result
