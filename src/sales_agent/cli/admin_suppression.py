"""`sales-agent admin suppression`: who the agent must never write to (every change audited)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.cli._common import ActorOption, ReasonOption, policy_connection
from sales_agent.policy.suppression import Suppression, SuppressionReason

__all__ = ["suppression_app"]

suppression_app = typer.Typer(
    no_args_is_help=True, help="The suppression list: emails and company domains, a year each."
)
console = Console()


def _describe(entry: Suppression) -> str:
    source = f", {entry.source}" if entry.source else ""
    return (
        f"{entry.kind} {entry.value} ({entry.reason}{source}) "
        f"until {entry.expires_at:%Y-%m-%d %H:%M %Z}"
    )


@suppression_app.command("add")
def suppression_add(
    value: Annotated[
        str, typer.Argument(metavar="EMAIL_OR_DOMAIN", help="An address, or a domain for all.")
    ],
    reason: Annotated[
        SuppressionReason,
        typer.Option("--reason", help="Why the value is suppressed."),
    ],
    actor: ActorOption,
    note: Annotated[str, typer.Option("--note", help="Where it came from, for the record.")] = "",
) -> None:
    """Suppress an address or a whole domain for a year (again: renew it for a year)."""
    from sales_agent.policy.suppression import kind_of, suppress

    with policy_connection() as conn:
        entry = suppress(
            conn,
            value=value,
            kind=kind_of(value),
            reason=reason,
            actor=actor,
            source=f"cli: {note}" if note else "cli",
        )
    verb = "renewed" if entry.renewed_at is not None else "suppressed"
    typer.echo(f"{verb}: {_describe(entry)}")


@suppression_app.command("check")
def suppression_check(
    email: Annotated[str, typer.Argument(help="The address to look up.")],
) -> None:
    """Exit 0 when EMAIL may be written to; exit 1 and show the entry that suppresses it."""
    from sales_agent.policy.suppression import is_suppressed

    with policy_connection() as conn:
        entry = is_suppressed(conn, email)
    if entry is None:
        typer.echo(f"{email.strip().lower()}: not suppressed")
        return
    typer.echo(f"{email.strip().lower()}: suppressed by {_describe(entry)}")
    raise typer.Exit(1)


@suppression_app.command("list")
def suppression_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every entry that has not expired."""
    from sales_agent.policy.suppression import list_suppressions

    with policy_connection() as conn:
        entries = list_suppressions(conn)
    if as_json:
        typer.echo(json.dumps([entry.model_dump(mode="json") for entry in entries], indent=2))
        return
    table = Table("kind", "value", "reason", "source", "by", "created", "expires")
    for entry in entries:
        table.add_row(
            entry.kind,
            escape(entry.value),
            entry.reason,
            escape(entry.source),
            escape(entry.created_by),
            f"{entry.created_at:%Y-%m-%d}",
            f"{entry.expires_at:%Y-%m-%d}",
        )
    console.print(table)


@suppression_app.command("remove")
def suppression_remove(
    value: Annotated[str, typer.Argument(help="The address or domain to take off the list.")],
    reason: ReasonOption,
    actor: ActorOption,
) -> None:
    """Take an address or domain off the list (its domain's entry, if any, still applies)."""
    from sales_agent.policy.suppression import unsuppress

    with policy_connection() as conn:
        entry = unsuppress(conn, value=value, actor=actor, reason=reason)
    typer.echo(f"removed: {entry.kind} {entry.value} (was {entry.reason})")
