"""Routes of what happened after a send: a draft's events, performance, daily and contact stats.

Thin: the counting is SQL in `db/email_events.py`, the rates in `performance`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request

from sales_agent.db.email_events import contact_stats, daily_stats, draft_events, event_counts
from sales_agent.server.email_event_schemas import (
    ContactStats,
    ContactStatsList,
    DailyStats,
    DailyStatsList,
    EmailEvent,
    EmailEventList,
    EmailPerformance,
)
from sales_agent.services import Services

__all__ = ["performance", "router"]

router = APIRouter(tags=["email events"])

CompanyId = Annotated[str, Query(min_length=1, max_length=64, description="HubSpot company id.")]


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def performance(counts: dict[str, int], company_id: str | None) -> EmailPerformance:
    """Counts of each kind as the performance view: delivered and the rates."""
    sent, bounced = counts["sent"], counts["bounced"]
    delivered = max(sent - bounced, 0)
    return EmailPerformance(
        company_id=company_id,
        sent=sent,
        delivered=delivered,
        bounced=bounced,
        replied=counts["replied"],
        unsubscribed=counts["unsubscribed"],
        complained=counts["complained"],
        meetings=counts["meeting_booked"],
        bounce_rate=_rate(bounced, sent),
        reply_rate=_rate(counts["replied"], delivered),
        unsubscribe_rate=_rate(counts["unsubscribed"], delivered),
        complaint_rate=_rate(counts["complained"], delivered),
        meeting_rate=_rate(counts["meeting_booked"], delivered),
    )


def _counts(row: dict[str, Any]) -> dict[str, int]:
    return {
        "sent": row["sent"],
        "bounced": row["bounced"],
        "replied": row["replied"],
        "unsubscribed": row["unsubscribed"],
        "complained": row["complained"],
        "meetings": row["meeting_booked"],
    }


@router.get("/api/email-events")
def list_email_events(
    request: Request, draft_id: Annotated[str, Query(pattern=r"^[0-9a-fA-F-]{36}$")]
) -> EmailEventList:
    """A draft's email events, oldest first (an unknown draft has none)."""
    with _services(request).pool.connection() as conn:
        rows = draft_events(conn, draft_id=draft_id)
    events = [
        EmailEvent(**{**row, "draft_id": str(row["draft_id"]) if row["draft_id"] else None})
        for row in rows
    ]
    return EmailEventList(draft_id=draft_id, events=events)


@router.get("/api/metrics/email-performance")
def email_performance(request: Request, company_id: CompanyId | None = None) -> EmailPerformance:
    """Sent, delivered, bounced, replied, unsubscribed, meetings, with rates over delivered."""
    with _services(request).pool.connection() as conn:
        counts = event_counts(conn, company_id=company_id)
    return performance(counts, company_id)


@router.get("/api/stats/daily")
def stats_daily(
    request: Request,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
    until: Annotated[
        date | None,
        Query(ge=date(1970, 1, 1), le=date(9999, 1, 1), description="Last day (default: today)."),
    ] = None,
) -> DailyStatsList:
    """Each of the last `days` days (the operator's days), events counted by kind."""
    services = _services(request)
    zone = services.settings.timezone
    last = until or datetime.now(UTC).astimezone(ZoneInfo(zone)).date()
    first = last - timedelta(days=days - 1)
    with services.pool.connection() as conn:
        found = daily_stats(conn, first=first, last=last, timezone=zone)
    empty = dict.fromkeys(("sent", "bounced", "replied", "unsubscribed", "complained"), 0)
    series = [
        DailyStats(date=day, **_counts({**empty, "meeting_booked": 0, **found.get(day, {})}))
        for day in (first + timedelta(days=n) for n in range(days))
    ]
    return DailyStatsList(timezone=zone, days=series)


@router.get("/api/stats/contacts")
def stats_contacts(request: Request, company_id: CompanyId) -> ContactStatsList:
    """A company's contacts with their email events counted by kind."""
    with _services(request).pool.connection() as conn:
        rows = contact_stats(conn, company_id=company_id)
    contacts = [
        ContactStats(
            contact_email=row["contact_email"], last_event_at=row["last_event_at"], **_counts(row)
        )
        for row in rows
    ]
    return ContactStatsList(company_id=company_id, contacts=contacts)
