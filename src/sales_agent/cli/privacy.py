"""`sales-agent privacy`: export everything held about a person, or erase it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sales_agent.cli._common import ActorOption, ReasonOption

__all__ = ["privacy_app"]

privacy_app = typer.Typer(
    no_args_is_help=True, help="Privacy: a person's data, exported or erased."
)
console = Console()

EmailArgument = Annotated[str, typer.Argument(help="The person's email address.")]


@privacy_app.command("export")
def privacy_export(
    email: EmailArgument,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the JSON here instead of stdout.")
    ] = None,
) -> None:
    """Everything held about the person at EMAIL, as JSON (for an access request)."""
    from sales_agent.privacy.export import export_subject
    from sales_agent.services import open_services

    with open_services() as services:
        document = export_subject(services, email)
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        console.print(f"exported to {output}")


@privacy_app.command("erase")
def privacy_erase(email: EmailArgument, reason: ReasonOption, actor: ActorOption) -> None:
    """Erase the person at EMAIL from every table and index; they stay suppressed (hashed)."""
    from sales_agent.privacy.erase import erase_subject
    from sales_agent.services import open_services

    with open_services() as services:
        report = erase_subject(services, email, actor=actor, reason=reason)
    typer.echo(json.dumps(report.model_dump(), indent=2))
