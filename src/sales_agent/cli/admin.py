"""`sales-agent admin`: the runtime policy an operator changes (every change is audited).

Groups: `mode`, `kill-switch`, `flags`, `guardrails`, `suppression`, `quotas`; others add
theirs with `admin_app.add_typer(...)`. Each group without a subcommand shows the current state.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.cli._common import ActorOption, ReasonOption, policy_connection
from sales_agent.cli.admin_guardrails import guardrails_app
from sales_agent.cli.admin_keys import create_key, list_keys, revoke_key, rotate_key
from sales_agent.cli.admin_quotas import quotas_app
from sales_agent.cli.admin_suppression import suppression_app
from sales_agent.config import Mode

__all__ = ["admin_app"]

admin_app = typer.Typer(
    no_args_is_help=True,
    help="Runtime policy: mode, kill switch, flags, guardrails, suppression, quotas; API keys.",
)
mode_app = typer.Typer(help="The mode: DRAFT_ONLY (default) or SEND_ALLOWED.")
kill_app = typer.Typer(help="The kill switch: stops every external write at once.")
flags_app = typer.Typer(help="Feature flags and their rollout percent.")
admin_app.add_typer(mode_app, name="mode")
admin_app.add_typer(kill_app, name="kill-switch")
admin_app.add_typer(flags_app, name="flags")
admin_app.add_typer(guardrails_app, name="guardrails")
admin_app.add_typer(suppression_app, name="suppression")
admin_app.add_typer(quotas_app, name="quotas")
admin_app.command("create-key")(create_key)
admin_app.command("list-keys")(list_keys)
admin_app.command("revoke-key")(revoke_key)
admin_app.command("rotate-key")(rotate_key)

console = Console()


@mode_app.callback(invoke_without_command=True)
def _mode_default(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        mode_show()


@mode_app.command("show")
def mode_show() -> None:
    """Print the current mode."""
    from sales_agent.policy.mode import current_mode

    with policy_connection() as conn:
        typer.echo(f"mode: {current_mode(conn)}")


@mode_app.command("set")
def mode_set(
    mode: Annotated[Mode, typer.Argument(help="DRAFT_ONLY or SEND_ALLOWED.")],
    reason: ReasonOption,
    actor: ActorOption,
) -> None:
    """Switch the mode for every process."""
    from sales_agent.policy.mode import current_mode, set_mode

    with policy_connection() as conn:
        previous = current_mode(conn)
        set_mode(conn, mode=mode, actor=actor, reason=reason)
    typer.echo(f"mode: {mode} (was {previous})")


@kill_app.callback(invoke_without_command=True)
def _kill_default(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        kill_status()


@kill_app.command("status")
def kill_status() -> None:
    """Print whether the kill switch is engaged."""
    from sales_agent.policy.mode import kill_switch_engaged

    with policy_connection() as conn:
        engaged = kill_switch_engaged(conn)
    typer.echo("kill switch: ENGAGED (no external writes)" if engaged else "kill switch: off")


def _set_kill_switch(*, engaged: bool, actor: str, reason: str) -> None:
    from sales_agent.policy.mode import set_kill_switch

    with policy_connection() as conn:
        set_kill_switch(conn, engaged=engaged, actor=actor, reason=reason)


@kill_app.command("on")
def kill_on(reason: ReasonOption, actor: ActorOption) -> None:
    """Engage: every external write (drafts, sends, CRM writes) stops, runs in flight too."""
    _set_kill_switch(engaged=True, actor=actor, reason=reason)
    typer.echo("kill switch: ENGAGED (no external writes)")


@kill_app.command("off")
def kill_off(reason: ReasonOption, actor: ActorOption) -> None:
    """Release: external writes may resume (within the mode and the other policies)."""
    _set_kill_switch(engaged=False, actor=actor, reason=reason)
    typer.echo("kill switch: off")


@flags_app.callback(invoke_without_command=True)
def _flags_default(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        flags_list(as_json=False)


@flags_app.command("list")
def flags_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every flag."""
    from sales_agent.policy.flags import list_flags

    with policy_connection() as conn:
        flags = list_flags(conn)
    if as_json:
        typer.echo(json.dumps([flag.model_dump(mode="json") for flag in flags], indent=2))
        return
    table = Table("name", "enabled", "rollout %", "description", "updated by")
    for flag in flags:
        table.add_row(
            flag.name,
            "yes" if flag.enabled else "no",
            str(flag.rollout_percent),
            escape(flag.description),
            escape(flag.updated_by),
        )
    console.print(table)


@flags_app.command("set")
def flags_set(
    name: Annotated[str, typer.Argument(help="Flag name, e.g. STORY_PITCH_ENABLED.")],
    reason: ReasonOption,
    actor: ActorOption,
    enabled: Annotated[
        bool | None,
        typer.Option("--enabled/--disabled", help="Turn on or off (unchanged if omitted)."),
    ] = None,
    rollout: Annotated[
        int | None, typer.Option("--rollout", help="Percent of contacts, 0-100.", min=0, max=100)
    ] = None,
) -> None:
    """Change a flag's enabled state and/or rollout percent."""
    from sales_agent.policy.flags import set_flag

    if enabled is None and rollout is None:
        raise typer.BadParameter("pass --enabled, --disabled or --rollout N")
    with policy_connection() as conn:
        flag = set_flag(
            conn,
            name=name.upper(),
            enabled=enabled,
            rollout_percent=rollout,
            actor=actor,
            reason=reason,
        )
    state = "enabled" if flag.enabled else "disabled"
    typer.echo(f"{flag.name}: {state}, rollout {flag.rollout_percent}%")
