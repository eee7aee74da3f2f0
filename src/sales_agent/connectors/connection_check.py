"""`sales-agent check-connections`: one cheap read per service, classified for a person.

A service is *reachable* when it answered at all and *authorized* when it answered a read;
401/403 mean the credentials are wrong, a timeout or refused connection that it is down.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from sales_agent.connectors.factory import Connectors
from sales_agent.connectors.retry import TransientConnectorError
from sales_agent.errors import ConnectorError

__all__ = ["ServiceStatus", "check_connections"]

Status = Literal["authorized", "unauthorized", "unreachable", "error"]


class ServiceStatus(BaseModel):
    """What one service answered."""

    service: str
    target: str
    reachable: bool
    authorized: bool
    status: Status
    detail: str


def _probe(service: str, target: str, read: Callable[[], Any]) -> ServiceStatus:
    try:
        detail = str(read())
    except TransientConnectorError as exc:
        return ServiceStatus(
            service=service,
            target=target,
            reachable=False,
            authorized=False,
            status="unreachable",
            detail=exc.message,
        )
    except ConnectorError as exc:
        denied = exc.status in (401, 403)
        return ServiceStatus(
            service=service,
            target=target,
            reachable=True,
            authorized=False,
            status="unauthorized" if denied else "error",
            detail=exc.message,
        )
    return ServiceStatus(
        service=service,
        target=target,
        reachable=True,
        authorized=True,
        status="authorized",
        detail=detail,
    )


def check_connections(
    connectors: Connectors, *, operator_email: str, targets: dict[str, str]
) -> list[ServiceStatus]:
    """Probe Gmail, Calendar, Drive and HubSpot with one read each, in that order."""
    now = datetime.now(UTC)

    def calendar() -> str:
        busy = connectors.calendar.free_busy([operator_email], now, now + timedelta(hours=1), "UTC")
        return f"free/busy read for {operator_email} ({len(busy.get(operator_email, []))} busy)"

    probes: dict[str, Callable[[], Any]] = {
        "gmail": lambda: f"mailbox {connectors.gmail.get_profile().email_address}",
        "calendar": calendar,
        "drive": lambda: f"{len(connectors.drive.allowed_folders())} allowlisted folders",
        "hubspot": lambda: f"{len(connectors.hubspot.list_owners())} owners",
    }
    return [_probe(name, targets[name], read) for name, read in probes.items()]
