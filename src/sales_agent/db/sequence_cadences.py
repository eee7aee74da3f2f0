"""The sequence_cadences table (migration 0010): a contact's own cadence, SQL only."""

from __future__ import annotations

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.domain.sequence import Cadence

__all__ = ["get_cadence_override", "update_live_cadence", "upsert_cadence_override"]

_GET_CADENCE = """
SELECT cadence_days, max_touches FROM sequence_cadences WHERE contact_email = lower(%(email)s)
"""
_UPSERT_CADENCE = """
INSERT INTO sequence_cadences (contact_email, cadence_days, max_touches, updated_by)
VALUES (lower(%(email)s), %(days)s, %(max_touches)s, %(actor)s)
ON CONFLICT (contact_email) DO UPDATE SET cadence_days = EXCLUDED.cadence_days,
    max_touches = EXCLUDED.max_touches, updated_at = now(), updated_by = EXCLUDED.updated_by
"""
_LIVE_CADENCE = """
UPDATE sequences SET cadence_days = %(days)s, max_touches = %(max_touches)s, updated_at = now(),
    status = CASE WHEN touches_done >= %(max_touches)s AND status = 'active' THEN 'completed'
                  ELSE status END,
    next_due_at = CASE WHEN touches_done >= %(max_touches)s AND status = 'active' THEN NULL
                       ELSE next_due_at END
WHERE lower(contact_email) = lower(%(email)s) AND status IN ('active', 'paused')
"""


def get_cadence_override(conn: Connection[DictRow], email: str) -> Cadence | None:
    """The contact's own cadence, if one was set."""
    row = conn.execute(_GET_CADENCE, {"email": email}).fetchone()
    if row is None:
        return None
    return Cadence(days=tuple(row["cadence_days"]), max_touches=row["max_touches"])


def upsert_cadence_override(
    conn: Connection[DictRow], *, email: str, cadence: Cadence, actor: str
) -> None:
    """Set (or replace) the contact's own cadence."""
    params = {
        "email": email,
        "days": list(cadence.days),
        "max_touches": cadence.max_touches,
        "actor": actor,
    }
    conn.execute(_UPSERT_CADENCE, params)


def update_live_cadence(conn: Connection[DictRow], *, email: str, cadence: Cadence) -> int:
    """Give the contact's live sequence a new cadence (completed if past its new maximum)."""
    params = {"email": email, "days": list(cadence.days), "max_touches": cadence.max_touches}
    return conn.execute(_LIVE_CADENCE, params).rowcount
