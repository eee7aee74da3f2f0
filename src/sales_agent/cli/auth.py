"""`sales-agent auth google | list | disconnect | new-key | rotate-key`: connected accounts.

`auth google` connects the operator's Gmail for a local install: a loopback redirect on
127.0.0.1, the consent URL opened in the browser (or printed with `--no-browser`), the
refresh token stored encrypted with SALES_AGENT_SECRET_KEY. The server's equivalent is
`GET /auth/google/authorize`.
"""

from __future__ import annotations

import json
import webbrowser
from typing import Annotated, cast, get_args

import typer

from sales_agent.cli._common import ActorOption, ReasonOption, policy_connection
from sales_agent.config import get_settings
from sales_agent.db.connected_accounts import Provider

__all__ = ["auth_app"]

auth_app = typer.Typer(no_args_is_help=True, help=__doc__)


@auth_app.command("google")
def connect_google(
    actor: ActorOption,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the consent URL instead of opening it.")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for the consent.")
    ] = 300,
) -> None:
    """Connect the operator's Google account (consent in a browser, loopback redirect)."""
    from sales_agent.connectors.loopback_redirect import LoopbackRedirect
    from sales_agent.policy.connected_accounts import begin_google_connect, finish_google_connect

    settings = get_settings()
    with policy_connection() as conn, LoopbackRedirect() as loopback:
        url = begin_google_connect(conn, settings, redirect_uri=loopback.redirect_uri, actor=actor)
        typer.echo("Open this URL, sign in as the operator and allow access:", err=True)
        typer.echo(url)
        if not no_browser:
            webbrowser.open(url)
        answer = loopback.wait(timeout)
        account = finish_google_connect(
            conn,
            settings,
            state=answer.get("state", ""),
            code=answer.get("code"),
            error=answer.get("error"),
        )
    typer.echo(f"connected {account.account_email}: {' '.join(account.scopes)}", err=True)


@auth_app.command("list")
def list_connections(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The connected accounts (provider, address, scopes, when, by whom); never tokens."""
    from sales_agent.db.connected_accounts import list_accounts

    with policy_connection() as conn:
        accounts = list_accounts(conn)
    if as_json:
        typer.echo(json.dumps([a.model_dump(mode="json") for a in accounts], indent=2))
        return
    for a in accounts:
        typer.echo(
            f"{a.provider}\t{a.account_email or '-'}\t{a.connected_at:%Y-%m-%d %H:%M}\t"
            f"{a.connected_by}"
        )


@auth_app.command("disconnect")
def disconnect(
    provider: Annotated[str, typer.Argument(help="google or hubspot.")],
    actor: ActorOption,
    reason: ReasonOption,
) -> None:
    """Forget a stored token (the environment's token, if set, applies again)."""
    from sales_agent.policy.connected_accounts import disconnect_account

    if provider not in get_args(Provider):
        raise typer.BadParameter("google or hubspot", param_hint="PROVIDER")
    with policy_connection() as conn:
        removed = disconnect_account(
            conn, provider=cast(Provider, provider), actor=actor, reason=reason
        )
    typer.echo(f"{provider}: {'disconnected' if removed else 'was not connected'}", err=True)


@auth_app.command("new-key")
def new_key() -> None:
    """Print a new Fernet key for SALES_AGENT_SECRET_KEY (put it first when rotating)."""
    from sales_agent.secret_box import new_key as make_key

    typer.echo(make_key())


@auth_app.command("rotate-key")
def rotate_key(actor: ActorOption) -> None:
    """Re-encrypt every stored token under the first key of SALES_AGENT_SECRET_KEY."""
    from sales_agent.policy.connected_accounts import rotate_secret_key

    with policy_connection() as conn:
        count = rotate_secret_key(conn, get_settings(), actor=actor)
    typer.echo(f"re-encrypted {count} token(s) under the newest key", err=True)
