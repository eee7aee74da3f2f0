"""`sales-agent admin quotas`: how much of each send quota is used, and its limits (audited)."""

from __future__ import annotations

import json
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from sales_agent.cli._common import ActorOption, ReasonOption, policy_connection
from sales_agent.config import get_settings
from sales_agent.policy.quota_limits import QuotaLimits

__all__ = ["quotas_app"]

quotas_app = typer.Typer(no_args_is_help=True, help="Send quotas: status, reset, limits.")
console = Console()


def _limit(name: str) -> Any:
    description = QuotaLimits.model_fields[name].description
    return typer.Option(min=0, show_default=False, help=description)


@quotas_app.command("status")
def quotas_status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    contact: Annotated[
        str | None, typer.Option("--contact", help="Also show one contact's quotas.")
    ] = None,
    execution: Annotated[
        str | None, typer.Option("--execution", help="Also show one story execution's quota.")
    ] = None,
) -> None:
    """Each quota: limit, used, remaining, and when it frees up (days in your time zone)."""
    from sales_agent.policy.quotas import quota_status

    timezone = get_settings().timezone
    with policy_connection() as conn:
        quotas = quota_status(
            conn, contact_email=contact, execution_id=execution, timezone=timezone
        )
    if as_json:
        typer.echo(json.dumps([quota.model_dump(mode="json") for quota in quotas], indent=2))
        return
    zone = ZoneInfo(timezone)
    table = Table("quota", "scope", "limit", "used", "remaining", f"frees up ({timezone})")
    for quota in quotas:
        table.add_row(
            quota.quota_type,
            quota.scope,
            str(quota.limit),
            "-" if quota.used is None else str(quota.used),
            "-" if quota.remaining is None else str(quota.remaining),
            "-" if quota.reset_at is None else f"{quota.reset_at.astimezone(zone):%a %d %b %H:%M}",
        )
    console.print(table)
    if contact is None or execution is None:
        console.print("'-': pass --contact EMAIL / --execution ID to see those quotas")


@quotas_app.command("reset")
def quotas_reset(reason: ReasonOption, actor: ActorOption) -> None:
    """Zero every quota: release every ledger row that counts now (sent rows stay recorded)."""
    from sales_agent.policy.quotas import reset_quotas

    with policy_connection() as conn:
        released = reset_quotas(conn, actor=actor, reason=reason, timezone=get_settings().timezone)
    typer.echo(f"released {released} ledger rows: every quota reads zero")


@quotas_app.command("set-limits")
def quotas_set_limits(
    reason: ReasonOption,
    actor: ActorOption,
    global_daily: Annotated[int | None, _limit("global_daily")] = None,
    global_weekly: Annotated[int | None, _limit("global_weekly")] = None,
    contact_7_days: Annotated[int | None, _limit("contact_7_days")] = None,
    contact_weekly: Annotated[int | None, _limit("contact_weekly")] = None,
    story_daily: Annotated[int | None, _limit("story_daily")] = None,
    story_contact_14_days: Annotated[int | None, _limit("story_contact_14_days")] = None,
    story_execution: Annotated[int | None, _limit("story_execution")] = None,
) -> None:
    """Change some limits (the others stay) for every process."""
    from sales_agent.policy.quotas import update_limits

    given = {
        "global_daily": global_daily,
        "global_weekly": global_weekly,
        "contact_7_days": contact_7_days,
        "contact_weekly": contact_weekly,
        "story_daily": story_daily,
        "story_contact_14_days": story_contact_14_days,
        "story_execution": story_execution,
    }
    changes = {name: value for name, value in given.items() if value is not None}
    if not changes:
        raise typer.BadParameter("pass at least one limit, e.g. --global-daily 40")
    with policy_connection() as conn:
        limits = update_limits(conn, changes=changes, actor=actor, reason=reason)
    typer.echo(" ".join(f"{name}={value}" for name, value in limits.model_dump().items()))
