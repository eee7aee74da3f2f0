"""The send window: business hours in the lead's zone, workdays, holidays, pace, spacing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sales_agent.domain.send_window import (
    BookedSend,
    NoSendWindowError,
    SendWindowRules,
    next_send_time,
)

RULES = SendWindowRules(operator_timezone="Europe/London", hourly_limit=20, daily_limit=50)
# Wednesday 9 December 2026, 10:00 in London (UTC in winter).
WEDNESDAY_10 = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def test_inside_business_hours_it_goes_now() -> None:
    assert next_send_time(WEDNESDAY_10, lead_timezone=None, rules=RULES) == WEDNESDAY_10


def test_after_hours_waits_for_the_next_morning() -> None:
    evening = at(9, 18, 30)
    assert next_send_time(evening, lead_timezone=None, rules=RULES) == at(10, 9)


def test_before_hours_waits_for_opening() -> None:
    assert next_send_time(at(9, 6, 15), lead_timezone=None, rules=RULES) == at(9, 9)


def test_a_weekend_waits_for_monday() -> None:
    saturday = at(12, 11)
    assert next_send_time(saturday, lead_timezone=None, rules=RULES) == at(14, 9)


def test_public_holidays_and_the_operators_own_are_skipped() -> None:
    christmas_eve_evening = at(24, 18)  # Thursday; 25 and 26 (28 in lieu) are UK holidays
    assert next_send_time(christmas_eve_evening, lead_timezone=None, rules=RULES) == at(29, 9)
    own = SendWindowRules(
        operator_timezone="Europe/London", extra_holidays=frozenset({date(2026, 12, 10)})
    )
    assert next_send_time(at(9, 18), lead_timezone=None, rules=own) == at(11, 9)


def test_the_leads_time_zone_sets_the_hours() -> None:
    # 10:00 in London is 05:00 in New York: wait for 09:00 there, 14:00 UTC.
    sent = next_send_time(WEDNESDAY_10, lead_timezone="America/New_York", rules=RULES)
    assert sent == at(9, 14)
    assert sent.astimezone(ZoneInfo("America/New_York")).hour == 9


def test_the_hourly_limit_spreads_and_caps_a_mailbox() -> None:
    rules = SendWindowRules(operator_timezone="Europe/London", hourly_limit=4)
    booked = [BookedSend(WEDNESDAY_10 + timedelta(minutes=15 * i)) for i in range(4)]
    # Four in 10:00-10:45 fill the hour: the next send waits until 11:00.
    assert next_send_time(WEDNESDAY_10, lead_timezone=None, rules=rules, booked=booked) == at(9, 11)
    # One send at 10:00 keeps the next one 15 minutes (an hour over four) away.
    one = [BookedSend(WEDNESDAY_10)]
    assert next_send_time(WEDNESDAY_10, lead_timezone=None, rules=rules, booked=one) == at(
        9, 10, 15
    )


def test_the_daily_cap_moves_the_send_to_the_next_workday() -> None:
    rules = SendWindowRules(operator_timezone="Europe/London", hourly_limit=60, daily_limit=3)
    booked = [BookedSend(at(9, 9, i)) for i in range(3)]
    assert next_send_time(WEDNESDAY_10, lead_timezone=None, rules=rules, booked=booked) == at(10, 9)


def test_never_two_sends_to_one_company_within_minutes() -> None:
    booked = [BookedSend(WEDNESDAY_10, company="acme.example")]
    same = next_send_time(
        WEDNESDAY_10, lead_timezone=None, rules=RULES, booked=booked, company="acme.example"
    )
    other = next_send_time(
        WEDNESDAY_10, lead_timezone=None, rules=RULES, booked=booked, company="beta.example"
    )
    assert same == WEDNESDAY_10 + RULES.company_spacing
    assert other == WEDNESDAY_10 + timedelta(minutes=3)  # only the mailbox's pace


def test_a_plans_delay_is_the_earliest_moment() -> None:
    later = WEDNESDAY_10 + timedelta(days=2)  # Friday 10:00
    assert next_send_time(later, lead_timezone=None, rules=RULES) == at(11, 10)


def test_limits_of_zero_and_naive_clocks_are_refused() -> None:
    with pytest.raises(NoSendWindowError, match="no send window"):
        next_send_time(
            WEDNESDAY_10, lead_timezone=None, rules=SendWindowRules("UTC", daily_limit=0)
        )
    with pytest.raises(ValueError, match="time zone"):
        next_send_time(datetime(2026, 12, 9, 10), lead_timezone=None, rules=RULES)
