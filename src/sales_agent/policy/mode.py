"""The runtime mode (DRAFT_ONLY or SEND_ALLOWED), kept in Postgres so every process agrees."""

from __future__ import annotations

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.config import Mode

__all__ = ["current_mode"]

_GET_MODE = "SELECT value FROM runtime_settings WHERE key = 'mode'"


def current_mode(conn: Connection[DictRow]) -> Mode:
    """The stored mode; DRAFT_ONLY when none is stored (the safe default)."""
    row = conn.execute(_GET_MODE).fetchone()
    return Mode(row["value"]) if row is not None else Mode.DRAFT_ONLY
