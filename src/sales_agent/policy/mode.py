"""The runtime mode (DRAFT_ONLY or SEND_ALLOWED) and the kill switch, kept in Postgres.

Every process reads them from the same row, so a change applies everywhere at once. Both are
read with a primary-key lookup on each use, never cached: graph nodes check the kill switch
before every external write, and a cache would let a run in flight write after it was engaged.
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.config import Mode
from sales_agent.db.runtime_settings import get_setting, lock_setting, put_setting
from sales_agent.policy.audit import record_change

__all__ = ["current_mode", "kill_switch_engaged", "set_kill_switch", "set_mode"]


def _put(conn: Connection[DictRow], *, key: str, value: Any, actor: str) -> Any:
    """Store `value` under `key` and return the previous value (None when there was none)."""
    previous = lock_setting(conn, key)
    put_setting(conn, key=key, value=value, actor=actor)
    return previous


def current_mode(conn: Connection[DictRow]) -> Mode:
    """The stored mode; DRAFT_ONLY when none is stored (the safe default)."""
    value = get_setting(conn, "mode")
    return Mode(value) if value is not None else Mode.DRAFT_ONLY


def set_mode(conn: Connection[DictRow], *, mode: Mode, actor: str, reason: str) -> None:
    """Switch the mode for every process, audited (`mode_changed`) in the same transaction."""
    mode = Mode(mode)
    with conn.transaction():
        previous = _put(conn, key="mode", value=mode.value, actor=actor)
        record_change(
            conn,
            actor=actor,
            action="mode_changed",
            reason=reason,
            metadata={"from": previous or Mode.DRAFT_ONLY.value, "to": mode.value},
        )


def kill_switch_engaged(conn: Connection[DictRow]) -> bool:
    """Whether every external write must stop now (off when nothing is stored)."""
    return get_setting(conn, "kill_switch") is True


def set_kill_switch(conn: Connection[DictRow], *, engaged: bool, actor: str, reason: str) -> None:
    """Engage or release the kill switch, audited in the same transaction.

    The action is `kill_switch_engaged` or `kill_switch_released`; `metadata.was` tells
    whether the switch was already in that position.
    """
    with conn.transaction():
        previous = _put(conn, key="kill_switch", value=engaged, actor=actor)
        record_change(
            conn,
            actor=actor,
            action="kill_switch_engaged" if engaged else "kill_switch_released",
            reason=reason,
            metadata={"was": previous is True, "now": engaged},
        )
