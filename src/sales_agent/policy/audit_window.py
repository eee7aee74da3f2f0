"""The bounds of an audit query, as a person types them: a day or an ISO time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sales_agent.errors import SalesAgentError

__all__ = ["parse_moment"]


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime:
    """A typed date or ISO time as an aware datetime (UTC when no zone is given).

    A bare date means the start of that day, or with `end_of_day` the start of the next,
    so `--until 2026-11-24` includes the whole of the 24th.
    """
    try:
        day = date.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise SalesAgentError(
                f"{text!r} is not a date: use YYYY-MM-DD or an ISO time like 2026-11-24T09:00",
                code="invalid_date",
            ) from None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start + timedelta(days=1) if end_of_day else start
