"""`sales-agent audit`: verify the hash chain, query events, export them as CSV."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.cli._common import policy_connection
from sales_agent.policy.audit_window import parse_moment

__all__ = ["audit_app"]

audit_app = typer.Typer(no_args_is_help=True, help="Audit log: verify, query, export.")
console = Console()

ContactOption = Annotated[str | None, typer.Option("--contact", help="Contact email.")]
CompanyOption = Annotated[str | None, typer.Option("--company", help="HubSpot company id.")]
DraftOption = Annotated[str | None, typer.Option("--draft", help="Draft id (UUID).")]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="From this day or ISO time (UTC unless given).")
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", help="Up to and including this day, or before this ISO time."),
]


def _filters(
    contact: str | None,
    company: str | None,
    draft: str | None,
    since: str | None,
    until: str | None,
) -> dict[str, Any]:
    return {
        "contact_email": contact,
        "company_id": company,
        "draft_id": draft,
        "since": None if since is None else parse_moment(since),
        "until": None if until is None else parse_moment(until, end_of_day=True),
    }


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute every row's hash and follow the chain; exit 1 at the first broken row."""
    from sales_agent.policy.audit import verify_chain

    with policy_connection() as conn:
        report = verify_chain(conn)
    if report.intact:
        typer.echo(f"chain intact: {report.rows_checked} rows")
        return
    typer.echo(
        f"first broken row: {report.first_broken_id} ({report.problem}: {report.detail}); "
        f"{report.rows_checked} rows checked"
    )
    raise typer.Exit(1)


@audit_app.command("query")
def audit_query(
    contact: ContactOption = None,
    company: CompanyOption = None,
    draft: DraftOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    page: Annotated[int, typer.Option("--page", min=1, help="Page number.")] = 1,
    page_size: Annotated[int, typer.Option("--page-size", min=1, help="Events per page.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Events matching every filter given, oldest first, a page at a time."""
    from sales_agent.policy.audit import query_events

    filters = _filters(contact, company, draft, since, until)
    with policy_connection() as conn:
        result = query_events(conn, **filters, page=page, page_size=page_size)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    table = Table("id", "when (UTC)", "actor", "action", "contact", "company", "reason")
    for event in result.events:
        table.add_row(
            str(event.id),
            f"{event.occurred_at.astimezone(UTC):%Y-%m-%d %H:%M:%S}",
            escape(event.actor),
            event.action,
            escape(event.contact_email or ""),
            event.company_id or "",
            escape(event.reason),
        )
    console.print(table)
    pages = max(1, -(-result.total // result.page_size))
    typer.echo(f"page {result.page} of {pages} ({result.total} events)")


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    # newline="": the csv module writes its own line endings.
    with path.open("w", encoding="utf-8", newline="") as out:
        yield out


@audit_app.command("export")
def audit_export(
    contact: ContactOption = None,
    company: CompanyOption = None,
    draft: DraftOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write to FILE instead of standard output.")
    ] = None,
) -> None:
    """Write the matching events as CSV, with a header row, oldest first."""
    from sales_agent.policy.audit import export_csv

    filters = _filters(contact, company, draft, since, until)
    with policy_connection() as conn, _output(output) as out:
        written = export_csv(conn, out, **filters)
    if output is not None:
        typer.echo(f"exported {written} events to {output}")
