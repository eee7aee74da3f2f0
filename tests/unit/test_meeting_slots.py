import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sales_agent.domain.slots import (
    SlotRules,
    business_days_after,
    first_of_each_weekday,
    format_slot_list,
    free_slots,
    honouring,
    nearest_to,
    spread_out,
)

LONDON = ZoneInfo("Europe/London")
RULES = SlotRules(timezone="Europe/London")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=LONDON)


def test_business_days_skip_weekends_and_uk_holidays() -> None:
    # Wed 23 Dec 2026: then Thu 24, (Fri 25 Christmas, Sat, Sun, Mon 28 Boxing Day substitute)
    days = business_days_after(date(2026, 12, 23), 3, "GB")
    assert days == [date(2026, 12, 24), date(2026, 12, 29), date(2026, 12, 30)]


def test_one_slot_per_day_earliest_first_when_days_are_free() -> None:
    now = at(1, 8)  # Tuesday
    slots = free_slots([], now, RULES)
    assert [s.start for s in slots] == [at(2, 9), at(3, 9), at(4, 9)]
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)
    assert "Earliest free 30 minutes" in slots[0].reason


def test_busy_blocks_are_never_overlapped() -> None:
    now = at(1, 8)
    busy = [(at(2, 9), at(2, 11, 15)), (at(3, 8), at(3, 17))]  # Thursday the 3rd fully busy
    slots = free_slots(busy, now, RULES)
    assert at(2, 11, 30) in [s.start for s in slots]
    assert all(s.start.date() != date(2026, 12, 3) for s in slots)
    for slot in slots:
        assert not any(slot.start < end and start < slot.end for start, end in busy)


def test_a_single_free_day_still_gives_spread_out_slots() -> None:
    now = at(1, 8)
    busy = [(at(3, 0), at(5, 0))]  # only Wednesday the 2nd is free
    slots = free_slots(busy, now, RULES)
    starts = [s.start for s in slots]
    assert starts[0] == at(2, 9)
    assert len(starts) == 3
    assert all(b - a >= timedelta(hours=2) for a, b in itertools.pairwise(starts))


def test_no_availability_gives_no_slots() -> None:
    assert free_slots([(at(1, 0), at(10, 0))], at(1, 8), RULES) == []


def test_slots_end_by_the_end_of_working_hours_in_the_operator_zone() -> None:
    rules = SlotRules(timezone="America/New_York", day_start_hour=16, day_end_hour=17)
    slots = free_slots([], datetime(2026, 12, 1, 12, tzinfo=UTC), rules)
    new_york = ZoneInfo("America/New_York")
    assert {s.start.astimezone(new_york).strftime("%H:%M") for s in slots} <= {"16:00", "16:30"}


def test_format_names_the_time_zone() -> None:
    slots = free_slots([], at(1, 8), RULES)
    text = format_slot_list(slots, "Europe/London")
    assert text == "Wed 2 Dec at 09:00, Thu 3 Dec at 09:00 or Fri 4 Dec at 09:00 (London time)"


def test_every_opening_when_spacing_is_the_step() -> None:
    rules = SlotRules(timezone="Europe/London", days_ahead=1, wanted=500, spacing=RULES.step)
    slots = free_slots([], at(1, 8), rules)
    assert len(slots) == 16  # 09:00 to 16:30, every half hour


def test_a_stated_hour_is_offered_on_its_day_then_spread_then_filled() -> None:
    every = free_slots(
        [], at(1, 8), SlotRules(timezone="Europe/London", wanted=500, spacing=RULES.step)
    )
    # "Thursday, 2:30 to 3:30": the two openings that fit, not one and a stranger.
    narrow = honouring(
        every,
        "Europe/London",
        days=["Thursday"],
        earliest=at(3, 14, 30).time(),
        latest=at(3, 15, 30).time(),
    )
    assert [s.start for s in spread_out(narrow, 3, RULES.spacing)] == [at(3, 14, 30), at(3, 15)]
    # "Wednesday or Thursday after 10": one a day first, then apart on the same day.
    wide = honouring(
        every, "Europe/London", days=["Wednesday", "Thursday"], earliest=at(2, 10).time()
    )
    assert [s.start for s in spread_out(wide, 3, RULES.spacing)] == [
        at(2, 10),
        at(2, 12),
        at(3, 10),
    ]


def test_when_their_times_are_taken_the_nearest_free_times_that_day_come_first() -> None:
    busy = [(at(3, 15), at(3, 17))]  # Thursday from 3pm taken
    every = free_slots(
        busy, at(1, 8), SlotRules(timezone="Europe/London", wanted=500, spacing=RULES.step)
    )
    thursday = honouring(every, "Europe/London", days=["Thursday"])
    nearest = nearest_to(thursday, "Europe/London", earliest=at(3, 16).time())
    assert [s.start for s in nearest[:2]] == [at(3, 14, 30), at(3, 14)]


def test_times_in_the_zone_the_lead_named_are_read_in_that_zone() -> None:
    every = free_slots(
        [], at(1, 8), SlotRules(timezone="Europe/London", wanted=500, spacing=RULES.step)
    )
    # "Thursday after 10am Eastern" is Thursday after 15:00 in London.
    eastern = honouring(every, "America/New_York", days=["Thursday"], earliest=at(3, 10).time())
    assert min(s.start for s in eastern) == at(3, 15)


def test_a_weekday_named_is_the_coming_one_unless_it_has_nothing_free() -> None:
    rules = SlotRules(timezone="Europe/London", days_ahead=10, wanted=500, spacing=RULES.step)
    tuesdays = honouring(free_slots([], at(1, 8), rules), "Europe/London", days=["Tuesday"])
    assert {s.start.date() for s in first_of_each_weekday(tuesdays, "Europe/London")} == {
        date(2026, 12, 8)
    }
    busy_next = [(at(8, 0), at(9, 0))]  # Tuesday the 8th taken all day
    later = honouring(free_slots(busy_next, at(1, 8), rules), "Europe/London", days=["Tuesday"])
    assert {s.start.date() for s in first_of_each_weekday(later, "Europe/London")} == {
        date(2026, 12, 15)
    }
