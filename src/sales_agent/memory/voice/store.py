"""Voice profiles in Postgres: one row per version per operator, newest wins.

Saving takes a transaction-scoped advisory lock on the operator so two refreshes never pick
the same version number; the stored JSON carries that version too.
"""

from __future__ import annotations

from datetime import datetime

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict

from sales_agent.domain.voice import VoiceProfile, default_voice_profile
from sales_agent.policy.audit import record_event

__all__ = [
    "StoredVersion",
    "list_versions",
    "load_current_profile",
    "load_stored_profile",
    "save_profile",
]

_LOCK = "SELECT pg_advisory_xact_lock(hashtext('voice_profiles:' || %(operator)s))"
_NEXT_VERSION = """
SELECT coalesce(max(version), 0) + 1 AS version, now() AS learned_at FROM voice_profiles
WHERE operator_email = %(operator)s"""
_INSERT = """
INSERT INTO voice_profiles (operator_email, version, profile, metrics, created_by)
VALUES (%(operator)s, %(version)s, %(profile)s, %(metrics)s, %(actor)s)"""
_CURRENT = """
SELECT profile FROM voice_profiles WHERE operator_email = %(operator)s
ORDER BY version DESC LIMIT 1"""
_VERSIONS = """
SELECT version, created_at, created_by, metrics FROM voice_profiles
WHERE operator_email = %(operator)s ORDER BY version DESC LIMIT %(limit)s"""


class StoredVersion(BaseModel):
    """One stored version's header: when, by whom, and its held-out metrics."""

    model_config = ConfigDict(frozen=True)

    version: int
    created_at: datetime
    created_by: str
    metrics: dict[str, object]


def save_profile(conn: Connection[DictRow], profile: VoiceProfile, *, actor: str) -> VoiceProfile:
    """Store `profile` as the operator's next version and return it with that version."""
    if profile.operator_email is None:
        raise ValueError("a stored voice profile needs its operator_email")
    operator = profile.operator_email.lower()
    with conn.transaction():
        conn.execute(_LOCK, {"operator": operator})
        row = conn.execute(_NEXT_VERSION, {"operator": operator}).fetchone()
        assert row is not None
        # now() is the transaction's time, the row's created_at too.
        stored = profile.model_copy(
            update={"version": int(row["version"]), "learned_at": row["learned_at"]}
        )
        metrics = stored.metrics.model_dump() if stored.metrics else {}
        conn.execute(
            _INSERT,
            {
                "operator": operator,
                "version": stored.version,
                "profile": Jsonb(stored.model_dump(mode="json")),
                "metrics": Jsonb(metrics),
                "actor": actor,
            },
        )
        record_event(
            conn,
            actor=actor,
            action="voice_profile_stored",
            reason=f"version {stored.version}",
            metadata={"version": stored.version, "metrics": metrics},
        )
    return stored


def load_stored_profile(conn: Connection[DictRow], operator_email: str) -> VoiceProfile | None:
    """The operator's newest stored profile, or None when none was learned yet."""
    row = conn.execute(_CURRENT, {"operator": operator_email.lower()}).fetchone()
    return None if row is None else VoiceProfile.model_validate(row["profile"])


def load_current_profile(conn: Connection[DictRow], operator_email: str) -> VoiceProfile:
    """The operator's newest stored profile, or the packaged default."""
    return load_stored_profile(conn, operator_email) or default_voice_profile()


def list_versions(
    conn: Connection[DictRow], operator_email: str, *, limit: int = 20
) -> list[StoredVersion]:
    """The operator's stored versions, newest first."""
    rows = conn.execute(_VERSIONS, {"operator": operator_email.lower(), "limit": limit})
    return [StoredVersion.model_validate(row) for row in rows]
