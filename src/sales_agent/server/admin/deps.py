"""What every admin route shares: a database connection, the actor, policy errors as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import AfterValidator, BaseModel, Field

from sales_agent.config import Settings
from sales_agent.errors import SalesAgentError
from sales_agent.policy.suppression import SuppressionNotFoundError
from sales_agent.server.auth import CurrentPrincipal
from sales_agent.server.errors import ApiError

__all__ = [
    "Actor",
    "Audited",
    "ConnDep",
    "ReasonQuery",
    "SettingsDep",
    "nothing_to_change",
    "policy_errors",
]


def _connection(request: Request) -> Iterator[Connection[DictRow]]:
    with request.app.state.services.pool.connection() as conn:
        yield conn


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.services.settings
    return settings


def _actor(principal: CurrentPrincipal) -> str:
    # The key's name is who made the change in the audit log, as the CLI's --actor is.
    return principal.name


ConnDep = Annotated[Connection[DictRow], Depends(_connection)]
SettingsDep = Annotated[Settings, Depends(_settings)]
Actor = Annotated[str, Depends(_actor)]


def _not_blank(reason: str) -> str:
    # The same test as the audit log's (`str.strip`, which also drops control characters
    # such as \x1c that a regex's \s keeps), so a reason it would refuse never gets that far.
    if not reason.strip():
        raise ValueError("the reason is blank: say why, for the audit log")
    return reason


_REASON_RULES: dict[str, Any] = {
    "min_length": 1,
    "max_length": 1000,
    "description": "Why, for the audit log (not blank).",
}

ReasonQuery = Annotated[str, Query(**_REASON_RULES), AfterValidator(_not_blank)]
"""`?reason=` on a DELETE: the same rules as a body's `reason` (a 422 when blank)."""
Reason = Annotated[str, Field(**_REASON_RULES), AfterValidator(_not_blank)]


class Audited(BaseModel):
    """A change's body: every change says why, for the audit log."""

    reason: Reason


@contextmanager
def policy_errors() -> Iterator[None]:
    """Turn a policy module's refusal into a JSON error: 404 for a missing entry, else 422."""
    try:
        yield
    except SuppressionNotFoundError as exc:
        raise ApiError(404, exc.code, exc.message) from None
    except SalesAgentError as exc:
        raise ApiError(422, exc.code, exc.message) from None


def nothing_to_change(*fields: str) -> ApiError:
    """The 422 for a change that names nothing to change."""
    return ApiError(422, "nothing_to_change", f"pass at least one of: {', '.join(fields)}")
