"""Admin: the connected accounts (never their tokens), HubSpot's token, disconnecting."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field, SecretStr

from sales_agent.db.connected_accounts import ConnectedAccount, Provider, list_accounts
from sales_agent.policy.connected_accounts import disconnect_account, store_hubspot_token
from sales_agent.server.admin.deps import (
    Actor,
    Audited,
    ConnDep,
    ReasonQuery,
    SettingsDep,
    policy_errors,
)
from sales_agent.server.errors import ApiError

__all__ = ["router"]

router = APIRouter()


class HubSpotToken(Audited):
    """PUT /api/admin/connections/hubspot: a HubSpot private-app access token."""

    token: SecretStr = Field(description="The private app's access token (pat-...).")


@router.get("/connections")
def get_connections(conn: ConnDep) -> list[ConnectedAccount]:
    """The connected accounts: provider, address, scopes, when and by whom (no tokens)."""
    return list_accounts(conn)


@router.put("/connections/hubspot")
def put_hubspot_token(
    body: HubSpotToken, conn: ConnDep, settings: SettingsDep, actor: Actor
) -> ConnectedAccount:
    """Store the token encrypted; processes started afterwards use it before the env var."""
    token = body.token.get_secret_value().strip()
    if not token:
        raise ApiError(422, "invalid_request", "token is empty: pass the private app's token")
    with policy_errors():
        return store_hubspot_token(conn, settings, token=token, actor=actor, reason=body.reason)


@router.delete("/connections/{provider}")
def delete_connection(
    provider: Provider, conn: ConnDep, actor: Actor, reason: ReasonQuery
) -> ConnectedAccount:
    """Forget a stored token (the environment's, if set, applies again); `?reason=` says why."""
    with policy_errors():
        removed = disconnect_account(conn, provider=provider, actor=actor, reason=reason)
    if removed is None:
        raise ApiError(404, "not_connected", f"no {provider} account is connected")
    return removed
