"""When an approved send may go out: the next moment inside the lead's send window.

Pure functions over the sends already booked, so the rules are tested on a pinned clock:
business hours in the lead's time zone (the operator's when the CRM has none), weekdays
only, never on the operator's public or own holidays, a per-mailbox pace (at most
`hourly_limit` in any hour, spread evenly), the daily cap (the operator's calendar day),
and never two sends to one company within `company_spacing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

__all__ = ["BookedSend", "NoSendWindowError", "SendWindowRules", "next_send_time"]

_HOUR = timedelta(hours=1)
_SEARCH_DAYS = 60  # a window more than two months away means the rules leave none


class NoSendWindowError(ValueError):
    """The rules leave no moment to send in (a limit of 0, or no workday for 60 days)."""


@dataclass(frozen=True)
class SendWindowRules:
    """The operator's sending rules (settings and the global daily quota)."""

    operator_timezone: str
    start_hour: int = 9
    end_hour: int = 17
    holiday_country: str = "GB"
    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    hourly_limit: int = 20
    daily_limit: int = 50
    company_spacing: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class BookedSend:
    """A send already scheduled (or made): when, and to which company (None: unknown)."""

    at: datetime
    company: str | None = None


def _is_workday(day: date, rules: SendWindowRules, public: holidays.HolidayBase) -> bool:
    return day.weekday() < 5 and day not in public and day not in rules.extra_holidays


def _into_hours(moment: datetime, zone: ZoneInfo, rules: SendWindowRules) -> datetime:
    """`moment`, or the start of the next business hours in `zone` when it falls outside."""
    public = holidays.country_holidays(
        rules.holiday_country, years=range(moment.year - 1, moment.year + 2)
    )
    local = moment.astimezone(zone)
    day = local.date()
    opens = datetime.combine(day, time(rules.start_hour), tzinfo=zone)
    closes = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=rules.end_hour)
    if _is_workday(day, rules, public) and opens <= local < closes:
        return moment
    if not _is_workday(day, rules, public) or local >= closes:
        day += timedelta(days=1)
        while not _is_workday(day, rules, public):
            day += timedelta(days=1)
    return datetime.combine(day, time(rules.start_hour), tzinfo=zone)


def _conflict(
    moment: datetime, rules: SendWindowRules, booked: Sequence[BookedSend], company: str | None
) -> datetime | None:
    """The earliest later moment that could clear the first rule `moment` breaks; None: clear."""
    operator = ZoneInfo(rules.operator_timezone)
    today = moment.astimezone(operator).date()
    if sum(1 for b in booked if b.at.astimezone(operator).date() == today) >= rules.daily_limit:
        return datetime.combine(today + timedelta(days=1), time(0), tzinfo=operator)
    in_hour = sorted(b.at for b in booked if moment - _HOUR < b.at <= moment)
    if len(in_hour) >= rules.hourly_limit:
        return in_hour[0] + _HOUR
    gap = _HOUR / rules.hourly_limit  # the pace that spreads a full hour evenly
    for b in booked:
        if abs(b.at - moment) < gap:
            return b.at + gap
        if (
            company is not None
            and b.company == company
            and abs(b.at - moment) < rules.company_spacing
        ):
            return b.at + rules.company_spacing
    return None


def next_send_time(
    earliest: datetime,
    *,
    lead_timezone: str | None,
    rules: SendWindowRules,
    booked: Sequence[BookedSend] = (),
    company: str | None = None,
) -> datetime:
    """The first moment at or after `earliest` (aware) when a send to `company` may go out.

    Raises `NoSendWindowError` when the rules leave no moment in the next 60 days (a daily
    limit of 0, say): the caller says so instead of scheduling a send that never comes.
    """
    if earliest.tzinfo is None:
        raise ValueError("'earliest' needs a time zone (e.g. datetime.now(UTC))")
    if rules.hourly_limit <= 0 or rules.daily_limit <= 0:
        raise NoSendWindowError(
            "the hourly and daily send limits leave no send window (0): raise the global_daily "
            "quota or SALES_AGENT_SEND_HOURLY_LIMIT"
        )
    zone = ZoneInfo(lead_timezone or rules.operator_timezone)
    moment = earliest
    horizon = earliest + timedelta(days=_SEARCH_DAYS)
    while moment < horizon:
        moment = _into_hours(moment, zone, rules)
        later = _conflict(moment, rules, booked, company)
        if later is None:
            return moment
        moment = later
    raise NoSendWindowError(
        f"no send window in the {_SEARCH_DAYS} days after {earliest.isoformat()}: check the "
        "send hours, holidays and limits"
    )
