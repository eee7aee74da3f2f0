"""`sales-agent hubspot lookup`: a contact or a company as HubSpot holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sales_agent.connectors.hubspot_lookup import CrmLookup

__all__ = ["hubspot_app"]

hubspot_app = typer.Typer(no_args_is_help=True, help="HubSpot: look records up (read only).")


@hubspot_app.command("lookup")
def lookup(
    email: Annotated[str | None, typer.Option("--email", help="A contact's email.")] = None,
    domain: Annotated[str | None, typer.Option("--domain", help="A company's domain.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The contact, their company, the deals with their stage, and the owner; exit 1 if unknown."""
    from sales_agent.connectors.hubspot_lookup import crm_lookup
    from sales_agent.services import open_services

    with open_services() as services:
        found = crm_lookup(services.connectors.hubspot, email=email, domain=domain)
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
    else:
        _print(found)
    if not found.found:
        raise typer.Exit(1)


def _print(found: CrmLookup) -> None:
    contact, company, owner = found.contact, found.company, found.owner
    if contact is None:
        typer.echo("contact: not in HubSpot")
    else:
        name = " ".join(part for part in (contact.first_name, contact.last_name) if part)
        stage = ", ".join(s for s in (contact.lifecycle_stage, contact.lead_status) if s)
        typer.echo(
            f"contact {contact.id}: {name or '(no name)'} <{contact.email}>"
            + (f", {contact.job_title}" if contact.job_title else "")
            + (f" ({stage})" if stage else "")
        )
    if company is None:
        typer.echo("company: not in HubSpot")
    else:
        facts = [
            company.domain,
            company.industry,
            None if company.employee_count is None else f"{company.employee_count} employees",
            company.funding_stage,
            company.lifecycle_stage,
        ]
        typer.echo(
            f"company {company.id}: {company.name or '(no name)'} "
            f"({', '.join(fact for fact in facts if fact)})"
        )
    for deal in found.deals:
        amount = "" if deal.amount is None else f", amount {deal.amount:,.0f}"
        typer.echo(f"deal {deal.id}: {deal.name or '(no name)'}, stage {deal.stage}{amount}")
    if not found.deals:
        typer.echo("deals: none")
    if owner is None:
        typer.echo("owner: none")
    else:
        name = " ".join(part for part in (owner.first_name, owner.last_name) if part)
        typer.echo(f"owner {owner.id}: {name or '(no name)'} <{owner.email or 'no email'}>")
