"""Feature flags with a deterministic percentage rollout per contact.

A subject (a contact's email) falls into a bucket 0-99 from a SHA-256 of `"NAME:subject"`, so
the answer is the same in every process and on every run, and raising the rollout percent
only ever adds subjects. Python's `hash()` would not do: it is salted per process.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

from sales_agent.errors import SalesAgentError
from sales_agent.policy.audit import record_change

__all__ = [
    "FeatureFlag",
    "FlagError",
    "flag_bucket",
    "flag_enabled",
    "list_flags",
    "set_flag",
]

_COLUMNS = "name, enabled, rollout_percent, description, updated_at, updated_by"
_GET_FLAG = f"SELECT {_COLUMNS} FROM feature_flags WHERE name = %(name)s"
_LOCK_FLAG = f"SELECT {_COLUMNS} FROM feature_flags WHERE name = %(name)s FOR UPDATE"
_LIST_FLAGS = f"SELECT {_COLUMNS} FROM feature_flags ORDER BY name"
_UPDATE_FLAG = f"""
UPDATE feature_flags
SET enabled = %(enabled)s, rollout_percent = %(rollout_percent)s,
    updated_at = now(), updated_by = %(actor)s
WHERE name = %(name)s
RETURNING {_COLUMNS}
"""


class FlagError(SalesAgentError):
    """An unknown flag or an invalid rollout; the message lists what is valid."""

    code = "flag_error"


class FeatureFlag(BaseModel):
    """One flag as stored."""

    model_config = ConfigDict(frozen=True)

    name: str
    enabled: bool
    rollout_percent: int
    description: str
    updated_at: datetime
    updated_by: str

    def applies_to(self, subject: str | None) -> bool:
        """Whether the flag is on for `subject` (without one, only a full rollout counts)."""
        if not self.enabled or self.rollout_percent <= 0:
            return False
        if self.rollout_percent >= 100:
            return True
        return subject is not None and flag_bucket(self.name, subject) < self.rollout_percent


def flag_bucket(name: str, subject: str) -> int:
    """The subject's stable bucket 0-99 for this flag (emails compared case-insensitively)."""
    digest = hashlib.sha256(f"{name}:{subject.strip().lower()}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def _unknown(conn: Connection[DictRow], name: str) -> FlagError:
    known = ", ".join(flag.name for flag in list_flags(conn)) or "none"
    return FlagError(
        f"unknown feature flag {name!r}; known flags: {known} "
        "(new flags are added by a database migration)"
    )


def _get(conn: Connection[DictRow], name: str, *, lock: bool = False) -> FeatureFlag:
    row = conn.execute(_LOCK_FLAG if lock else _GET_FLAG, {"name": name}).fetchone()
    if row is None:
        raise _unknown(conn, name)
    return FeatureFlag.model_validate(row)


def flag_enabled(conn: Connection[DictRow], name: str, *, subject: str | None = None) -> bool:
    """Whether flag `name` is on, for `subject` when the rollout is partial.

    A partial rollout with no subject answers False: without someone to bucket, the safe
    answer is the one that changes nothing.
    """
    return _get(conn, name).applies_to(subject)


def list_flags(conn: Connection[DictRow]) -> list[FeatureFlag]:
    """Every flag, by name."""
    return [FeatureFlag.model_validate(row) for row in conn.execute(_LIST_FLAGS)]


def set_flag(
    conn: Connection[DictRow],
    *,
    name: str,
    enabled: bool | None = None,
    rollout_percent: int | None = None,
    actor: str,
    reason: str,
) -> FeatureFlag:
    """Change a flag (None keeps a value as it is), audited as `flag_changed`; return it."""
    if rollout_percent is not None and not 0 <= rollout_percent <= 100:
        raise FlagError(f"rollout percent {rollout_percent} is out of range: use 0 to 100")
    with conn.transaction():
        before = _get(conn, name, lock=True)
        row = conn.execute(
            _UPDATE_FLAG,
            {
                "name": name,
                "enabled": before.enabled if enabled is None else enabled,
                "rollout_percent": (
                    before.rollout_percent if rollout_percent is None else rollout_percent
                ),
                "actor": actor,
            },
        ).fetchone()
        assert row is not None
        after = FeatureFlag.model_validate(row)
        record_change(
            conn,
            actor=actor,
            action="flag_changed",
            reason=reason,
            metadata={
                "flag": name,
                "from": {"enabled": before.enabled, "rollout_percent": before.rollout_percent},
                "to": {"enabled": after.enabled, "rollout_percent": after.rollout_percent},
            },
        )
    return after
