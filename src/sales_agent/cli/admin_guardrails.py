"""`sales-agent admin guardrails`: list, add, update and remove rules; check a contact."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.cli._common import ActorOption, ReasonOption, policy_connection
from sales_agent.config import get_settings

if TYPE_CHECKING:
    from sales_agent.policy.guardrails import GuardrailRule

__all__ = ["guardrails_app"]

guardrails_app = typer.Typer(
    help="Guardrails: which companies the agent may contact (stage, industry, size, exclusions)."
)
console = Console()

DescriptionOption = Annotated[
    str | None, typer.Option("--description", help="A note on what the rule is for.")
]


def _parse_value(text: str) -> Any:
    from sales_agent.policy.guardrails import GuardrailError

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise GuardrailError(
            f"the rule value is not valid JSON ({exc.msg}); quote it for the shell, "
            """e.g. '["Series A", "Series B"]' or '{"min": 50, "max": 1000}'"""
        ) from None


def _describe(rule: GuardrailRule) -> str:
    state = "" if rule.active else " (inactive)"
    return f"guardrail {rule.id}: {rule.rule_type} {json.dumps(rule.value)}{state}"


@guardrails_app.callback(invoke_without_command=True)
def _default(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        guardrails_list()


@guardrails_app.command("list")
def guardrails_list() -> None:
    """List every rule, active or not."""
    from sales_agent.policy.guardrails import list_rules

    with policy_connection() as conn:
        rules = list_rules(conn)
    if not rules:
        typer.echo("no guardrail rules: every contact is allowed")
        return
    table = Table("id", "type", "value", "active", "description")
    for rule in rules:
        table.add_row(
            str(rule.id),
            rule.rule_type,
            escape(json.dumps(rule.value)),
            "yes" if rule.active else "no",
            escape(rule.description),
        )
    console.print(table)


@guardrails_app.command("add")
def guardrails_add(
    rule_type: Annotated[str, typer.Argument(metavar="TYPE", help="e.g. ALLOWED_COMPANY_STAGE.")],
    value: Annotated[str, typer.Argument(metavar="VALUE_JSON", help="e.g. '[\"Series A\"]'.")],
    reason: ReasonOption,
    actor: ActorOption,
    description: DescriptionOption = None,
    active: Annotated[bool, typer.Option("--active/--inactive", help="Decides at once.")] = True,
) -> None:
    """Add a rule; its value is checked for its type before it is stored."""
    from sales_agent.policy.guardrails import add_rule

    with policy_connection() as conn:
        rule = add_rule(
            conn,
            rule_type=rule_type,
            value=_parse_value(value),
            actor=actor,
            reason=reason,
            description=description or "",
            active=active,
        )
    typer.echo(f"added {_describe(rule)}")


@guardrails_app.command("update")
def guardrails_update(
    rule_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: ReasonOption,
    actor: ActorOption,
    value: Annotated[str | None, typer.Option("--value", help="New VALUE_JSON.")] = None,
    active: Annotated[
        bool | None, typer.Option("--active/--inactive", help="Switch the rule on or off.")
    ] = None,
    description: DescriptionOption = None,
) -> None:
    """Change a rule's value, active state or description."""
    from sales_agent.policy.guardrails import update_rule

    if value is None and active is None and description is None:
        raise typer.BadParameter("pass --value, --active/--inactive or --description")
    with policy_connection() as conn:
        rule = update_rule(
            conn,
            rule_id=rule_id,
            value=None if value is None else _parse_value(value),
            active=active,
            description=description,
            actor=actor,
            reason=reason,
        )
    typer.echo(f"updated {_describe(rule)}")


@guardrails_app.command("remove")
def guardrails_remove(
    rule_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: ReasonOption,
    actor: ActorOption,
) -> None:
    """Delete a rule (the audit log keeps what it was)."""
    from sales_agent.policy.guardrails import remove_rule

    with policy_connection() as conn:
        rule = remove_rule(conn, rule_id=rule_id, actor=actor, reason=reason)
    typer.echo(f"removed {_describe(rule)}")


@guardrails_app.command("check")
def guardrails_check(
    email: Annotated[str, typer.Argument(help="The contact's email address.")],
) -> None:
    """Look the contact up in the CRM and apply the active rules; exit 1 when not allowed."""
    from sales_agent.nodes.resolve_identity import lookup_identity
    from sales_agent.policy.guardrails import is_allowed, load_active_rules
    from sales_agent.services import open_services

    with open_services(get_settings()) as services:
        identity = lookup_identity(services, email)
        with services.pool.connection() as conn:
            allowed, reason = is_allowed(identity, load_active_rules(conn))
    company = identity.company_name or "company not in the CRM"
    facts = ", ".join(
        str(fact)
        for fact in (
            identity.stage,
            identity.industry,
            None if identity.employees is None else f"{identity.employees} employees",
        )
        if fact is not None
    )
    typer.echo(f"{identity.email}: {company}" + (f" ({facts})" if facts else ""))
    typer.echo(f"{'allowed' if allowed else 'not allowed'}: {reason}")
    if not allowed:
        raise typer.Exit(1)
