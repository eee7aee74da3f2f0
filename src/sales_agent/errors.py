"""Our exception types: each carries a stable code and a message that says how to fix it."""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ConnectorError",
    "DatabaseError",
    "SalesAgentError",
]


class SalesAgentError(Exception):
    """Base of every error we raise on purpose; `code` is stable, `message` is for a person."""

    code = "sales_agent_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ConfigError(SalesAgentError):
    """A setting is missing or invalid; the message names the variable."""

    code = "config_error"


class DatabaseError(SalesAgentError):
    """The database could not be started, reached or migrated."""

    code = "database_error"


class ConnectorError(SalesAgentError):
    """An external service (Gmail, Calendar, Drive, HubSpot) refused or failed a call."""

    code = "connector_error"

    def __init__(self, service: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.status = status
