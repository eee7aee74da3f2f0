"""Sequences: the follow-up touches that nurture a lead who has gone quiet.

A sequence starts when a first touch is approved; each follow-up is due a number of business
days after the previous touch (the cadence), at most `max_touches` of them. Business days are
weekdays that are neither a public holiday of the operator's country nor one of the
operator's own days off.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Literal, Self, get_args

from pydantic import Field, model_validator

from sales_agent.domain._model import Frozen
from sales_agent.domain.slots import business_days_after

__all__ = [
    "DEFAULT_CADENCE",
    "SEQUENCE_STATUSES",
    "STOP_REASONS",
    "Cadence",
    "SequenceStatus",
    "StopReason",
    "due_after",
]

SequenceStatus = Literal["active", "paused", "stopped", "completed"]
"""active (a touch will come due), paused (an inbound message is being read: no touch
goes out meanwhile), stopped (for good, with a reason), completed (every touch prepared)."""

SEQUENCE_STATUSES: tuple[SequenceStatus, ...] = get_args(SequenceStatus)

StopReason = Literal[
    "replied",
    "unsubscribed",
    "bounced",
    "complaint",
    "suppressed",
    "meeting_booked",
    "operator_replied",
    "operator_stopped",
    "touch_declined",
]
"""Why a sequence ended before its last touch."""

STOP_REASONS: tuple[StopReason, ...] = get_args(StopReason)


class Cadence(Frozen):
    """Business days to wait before each follow-up, and how many follow-ups at most."""

    days: tuple[int, ...] = Field(
        description="Business days after the previous touch, per follow-up (the last repeats)."
    )
    max_touches: int = Field(ge=0, le=10, description="Follow-ups after the first touch.")

    @model_validator(mode="after")
    def _positive_days(self) -> Self:
        if not self.days or any(day < 1 or day > 60 for day in self.days):
            raise ValueError(
                f"cadence days {list(self.days)} must be one or more whole numbers from 1 to 60"
            )
        return self

    def wait_before(self, touch: int) -> int:
        """Business days before follow-up `touch` (1-based); the last entry repeats."""
        return self.days[min(touch, len(self.days)) - 1]


DEFAULT_CADENCE = Cadence(days=(3, 5, 7), max_touches=3)


def due_after(
    moment: datetime, business_days: int, *, country: str, days_off: Collection[date] = ()
) -> datetime:
    """`moment` moved `business_days` business days on, at the same time of day.

    Skips weekends, the country's public holidays and the operator's own `days_off`.
    """
    found = 0
    day = moment.date()
    while found < business_days:
        day = business_days_after(day, 1, country)[0]
        if day not in days_off:
            found += 1
    return moment + timedelta(days=(day - moment.date()).days)
