"""Calendar connector: free/busy for meeting slots."""

from __future__ import annotations

from datetime import UTC, datetime

from sales_agent.errors import ConnectorError
from sales_agent.tools.google_api import GoogleService, execute
from sales_agent.tools.models import BusyInterval
from sales_agent.tools.retry import DEFAULT_RETRY, RetryPolicy

__all__ = ["CalendarClient"]

_SERVICE = "calendar"


def _utc(moment: datetime, name: str) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment.isoformat()}")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class CalendarClient:
    """Calendars through the Calendar v3 API."""

    def __init__(self, service: GoogleService, *, retry: RetryPolicy = DEFAULT_RETRY) -> None:
        self._service = service
        self._retry = retry

    def free_busy(
        self,
        calendar_ids: list[str],
        time_min: datetime,
        time_max: datetime,
        time_zone: str,
    ) -> dict[str, list[BusyInterval]]:
        """Busy intervals per calendar within [time_min, time_max), as aware UTC datetimes.

        A calendar Google cannot read raises `ConnectorError` rather than looking free.
        """
        body = {
            "timeMin": _utc(time_min, "time_min"),
            "timeMax": _utc(time_max, "time_max"),
            "timeZone": time_zone,
            "items": [{"id": calendar_id} for calendar_id in calendar_ids],
        }
        request = self._service.freebusy().query(body=body)
        calendars = execute(_SERVICE, request, retry=self._retry).get("calendars", {})
        busy: dict[str, list[BusyInterval]] = {}
        for calendar_id in calendar_ids:
            answer = calendars.get(calendar_id)
            if answer is None or answer.get("errors"):
                reasons = [e.get("reason") for e in (answer or {}).get("errors", [])]
                raise ConnectorError(_SERVICE, f"cannot read free/busy of {calendar_id}: {reasons}")
            busy[calendar_id] = [
                BusyInterval(
                    start=datetime.fromisoformat(block["start"]).astimezone(UTC),
                    end=datetime.fromisoformat(block["end"]).astimezone(UTC),
                )
                for block in answer.get("busy", [])
            ]
        return busy
