"""How much of each quota the send ledger has used at a moment, and when it frees up.

Calendar quotas (day, ISO week) count the operator's current day or week and free up when it
ends. Rolling quotas (7 and 14 days) count the sends of the last N days and free up when
enough of the oldest counted sends leave the window. The per-execution quota has no window.
A ledger row counts from its `reserved_at` until it is released.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

from sales_agent.policy.quota_limits import QUOTA_TYPES, QuotaType, load_limits

__all__ = ["QuotaUsage", "Usage", "Windows", "measure", "usage_report", "windows_at"]

_SCOPES: dict[QuotaType, Literal["global", "contact", "execution"]] = {
    "contact_7_days": "contact",
    "contact_weekly": "contact",
    "story_contact_14_days": "contact",
    "story_execution": "execution",
    "story_daily": "global",
    "global_daily": "global",
    "global_weekly": "global",
}

_WEEK = timedelta(days=7)
_FORTNIGHT = timedelta(days=14)

# Every value a parameter; a NULL contact or execution matches no row, so the quotas that
# need one read zero without it.
_USAGE = """
SELECT
    count(*) FILTER (WHERE reserved_at >= %(day_start)s AND reserved_at < %(day_end)s)
        AS global_daily,
    count(*) FILTER (WHERE reserved_at >= %(week_start)s AND reserved_at < %(week_end)s)
        AS global_weekly,
    coalesce(array_agg(reserved_at ORDER BY reserved_at)
        FILTER (WHERE contact_email = %(contact)s AND reserved_at > %(since_7_days)s), '{}')
        AS contact_7_days,
    count(*) FILTER (WHERE contact_email = %(contact)s
                       AND reserved_at >= %(week_start)s AND reserved_at < %(week_end)s)
        AS contact_weekly,
    count(*) FILTER (WHERE kind = 'story'
                       AND reserved_at >= %(day_start)s AND reserved_at < %(day_end)s)
        AS story_daily,
    coalesce(array_agg(reserved_at ORDER BY reserved_at)
        FILTER (WHERE kind = 'story' AND contact_email = %(contact)s
                  AND reserved_at > %(since_14_days)s), '{}')
        AS story_contact_14_days,
    count(*) FILTER (WHERE kind = 'story' AND execution_id = %(execution_id)s)
        AS story_execution
FROM send_ledger
WHERE status <> 'released'
  AND (reserved_at >= %(since)s OR (kind = 'story' AND execution_id = %(execution_id)s))
"""


@dataclass(frozen=True)
class Windows:
    """The bounds of every quota window at one moment (aware datetimes)."""

    day_start: datetime
    day_end: datetime
    week_start: datetime
    week_end: datetime
    since_7_days: datetime
    since_14_days: datetime

    @property
    def earliest(self) -> datetime:
        """The start of the longest window: older sends count only per execution."""
        return min(self.week_start, self.since_14_days)


def windows_at(now: datetime, timezone: str) -> Windows:
    """The windows around `now`, with days and ISO weeks taken in `timezone`."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone)

    return Windows(
        day_start=midnight(today),
        day_end=midnight(today + timedelta(days=1)),
        week_start=midnight(monday),
        week_end=midnight(monday + _WEEK),
        since_7_days=now - _WEEK,
        since_14_days=now - _FORTNIGHT,
    )


@dataclass(frozen=True)
class Usage:
    """What one quota has used, and what tells when it frees up."""

    used: int
    ends_at: datetime | None = None
    """The end of a calendar window."""
    counted: tuple[datetime, ...] = ()
    """A rolling window's counted reservation times, oldest first."""
    length: timedelta | None = None
    """A rolling window's length."""

    def reset_at(self, limit: int) -> datetime | None:
        """When usage next drops below `limit` (or, under it, when it next drops at all).

        None when nothing will free up by itself: a limit of 0, or no window.
        """
        if limit == 0:
            return None
        if self.length is None:
            return self.ends_at
        if not self.counted:
            return None
        # Below `limit` once all but limit - 1 of the counted sends have left the window.
        return self.counted[max(self.used - limit, 0)] + self.length


def measure(
    conn: Connection[DictRow],
    *,
    windows: Windows,
    contact_email: str | None,
    execution_id: str | None,
) -> dict[QuotaType, Usage]:
    """Each quota's usage, from the non-released ledger rows."""
    row = conn.execute(
        _USAGE,
        {
            "day_start": windows.day_start,
            "day_end": windows.day_end,
            "week_start": windows.week_start,
            "week_end": windows.week_end,
            "since_7_days": windows.since_7_days,
            "since_14_days": windows.since_14_days,
            "since": windows.earliest,
            "contact": contact_email,
            "execution_id": execution_id,
        },
    ).fetchone()
    assert row is not None
    contact_7 = tuple(row["contact_7_days"])
    story_14 = tuple(row["story_contact_14_days"])
    return {
        "global_daily": Usage(row["global_daily"], ends_at=windows.day_end),
        "global_weekly": Usage(row["global_weekly"], ends_at=windows.week_end),
        "contact_7_days": Usage(len(contact_7), counted=contact_7, length=_WEEK),
        "contact_weekly": Usage(row["contact_weekly"], ends_at=windows.week_end),
        "story_daily": Usage(row["story_daily"], ends_at=windows.day_end),
        "story_contact_14_days": Usage(len(story_14), counted=story_14, length=_FORTNIGHT),
        "story_execution": Usage(row["story_execution"]),
    }


class QuotaUsage(BaseModel):
    """One quota now: limit, used, remaining, and when it frees up.

    `used`, `remaining` and `reset_at` are None for a contact or execution quota when no
    contact or execution was given; `reset_at` is also None when nothing counts yet (rolling
    windows) or the quota has no window (per execution).
    """

    model_config = ConfigDict(frozen=True)

    quota_type: QuotaType
    scope: Literal["global", "contact", "execution"]
    limit: int
    used: int | None
    remaining: int | None
    reset_at: datetime | None


def usage_report(
    conn: Connection[DictRow],
    *,
    contact_email: str | None,
    execution_id: str | None,
    now: datetime,
    timezone: str,
) -> list[QuotaUsage]:
    """Every quota at `now`, narrowest first; contact and execution quotas need their subject."""
    limits = load_limits(conn)
    contact = contact_email.strip().lower() if contact_email else None
    usage = measure(
        conn, windows=windows_at(now, timezone), contact_email=contact, execution_id=execution_id
    )
    subjects = {
        "global": True,
        "contact": contact is not None,
        "execution": execution_id is not None,
    }
    result = []
    for quota_type in QUOTA_TYPES:
        scope, limit, measured = _SCOPES[quota_type], getattr(limits, quota_type), usage[quota_type]
        known = subjects[scope]
        result.append(
            QuotaUsage(
                quota_type=quota_type,
                scope=scope,
                limit=limit,
                used=measured.used if known else None,
                remaining=max(limit - measured.used, 0) if known else None,
                reset_at=measured.reset_at(limit) if known else None,
            )
        )
    return result
