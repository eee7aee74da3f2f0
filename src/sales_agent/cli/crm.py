"""`sales-agent crm sync`: fill or refresh the CRM mirror in Postgres.

With no credentials it reads the sandbox workspace, started in-process.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from sales_agent.config import get_settings

__all__ = ["crm_app"]

crm_app = typer.Typer(no_args_is_help=True, help="The CRM mirror: contacts and companies.")
console = Console()


@crm_app.command("sync")
def sync_command(
    full: Annotated[
        bool, typer.Option("--full", help="Walk every record again, not only the changes.")
    ] = False,
) -> None:
    """Mirror HubSpot's contacts and companies: finish (or redo) the walk, poll the changes.

    Then remove the records HubSpot deleted (its archived records, at most hourly; always
    with --full). A killed sync resumes at the page after the last one committed.
    """
    from sales_agent.memory.crm_sync import sync
    from sales_agent.services import open_services

    mirrored = {"companies": 0, "contacts": 0}

    def progress(kind: str, count: int) -> None:
        mirrored[kind] += count
        console.print(f"{kind}: {mirrored[kind]} mirrored", end="\r")

    with open_services(get_settings()) as services:
        report = sync(services.pool, services.connectors.hubspot, full=full, on_page=progress)
    console.print(
        f"crm sync: {mirrored['companies']} companies, {mirrored['contacts']} contacts in "
        f"{report.pages} pages, {report.seconds:.1f} s ({report.per_second:.0f} records/s); "
        f"{report.removed} deleted in HubSpot removed"
    )
