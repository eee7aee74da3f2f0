"""`sales-agent admin create-key | list-keys | revoke-key`: the server's API keys.

A key is printed once, at creation; only its hash is stored (see `db/api_keys.py`).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.cli._common import ActorOption, ReasonOption, default_actor, policy_connection

__all__ = ["create_key", "list_keys", "revoke_key", "rotate_key"]

console = Console()

ExpiryOption = Annotated[
    int | None,
    typer.Option("--expires-in-days", min=1, help="The key stops working after this many days."),
]


def create_key(
    role: Annotated[str, typer.Option("--role", help="operator or admin.", show_default=False)],
    actor: ActorOption,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Who or what uses the key (default: your OS user name)."),
    ] = None,
    expires_in_days: ExpiryOption = None,
) -> None:
    """Make an API key and print it once: store it now, it cannot be shown again."""
    from sales_agent.policy.api_keys import create_api_key

    with policy_connection() as conn:
        created = create_api_key(
            conn,
            role=role.lower(),
            name=name or default_actor(),
            actor=actor,
            expires_in_days=expires_in_days,
        )
    record = created.record
    typer.echo(created.key)
    typer.echo(
        f"{record.role} key {record.prefix} for {record.name}: shown once, only its hash is kept",
        err=True,
    )


def list_keys(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every key (prefix, name, role, last use, revoked); never the keys themselves."""
    from sales_agent.policy.api_keys import list_api_keys

    with policy_connection() as conn:
        keys = list_api_keys(conn)
    if as_json:
        rows = [key.model_dump(mode="json", exclude={"key_hash"}) for key in keys]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("prefix", "name", "role", "created", "last used", "revoked", "expires")
    for key in keys:
        table.add_row(
            key.prefix,
            escape(key.name),
            key.role,
            f"{key.created_at:%Y-%m-%d %H:%M}",
            "-" if key.last_used_at is None else f"{key.last_used_at:%Y-%m-%d %H:%M}",
            "-" if key.revoked_at is None else f"{key.revoked_at:%Y-%m-%d %H:%M}",
            "-" if key.expires_at is None else f"{key.expires_at:%Y-%m-%d %H:%M}",
        )
    console.print(table)


def revoke_key(
    prefix: Annotated[str, typer.Argument(metavar="PREFIX", help="The key's prefix (list-keys).")],
    reason: ReasonOption,
    actor: ActorOption,
) -> None:
    """Revoke a key at once: requests and web sessions made with it get 401."""
    from sales_agent.policy.api_keys import revoke_api_key

    with policy_connection() as conn:
        key = revoke_api_key(conn, prefix=prefix, actor=actor, reason=reason)
    typer.echo(f"revoked {key.role} key {key.prefix} ({key.name})")


def rotate_key(
    prefix: Annotated[str, typer.Argument(metavar="PREFIX", help="The key's prefix (list-keys).")],
    reason: ReasonOption,
    actor: ActorOption,
    grace_hours: Annotated[
        int, typer.Option("--grace-hours", min=0, help="Hours the old key keeps working.")
    ] = 0,
    expires_in_days: ExpiryOption = None,
) -> None:
    """Replace a key: print the new one once; the old one ends after --grace-hours (default 0)."""
    from sales_agent.policy.api_keys import rotate_api_key

    with policy_connection() as conn:
        new = rotate_api_key(
            conn,
            prefix=prefix,
            actor=actor,
            reason=reason,
            grace_hours=grace_hours,
            expires_in_days=expires_in_days,
        )
    typer.echo(new.key)
    typer.echo(
        f"{new.record.role} key {new.record.prefix} replaces {prefix} for {new.record.name}: "
        "shown once, only its hash is kept",
        err=True,
    )
