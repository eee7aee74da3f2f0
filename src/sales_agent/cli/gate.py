"""`sales-agent gate check FILE`: judge a draft file the way the graph judges a draft.

The file is a `Subject:` line, a blank line, then the body. With `--to`, the recipient is
looked up in the CRM and the suppression list, guardrails, mode, kill switch and quota
apply as they would in a run; without it, only the content is judged. Exit 0 on PASS or
WARN, 1 on FAIL, 2 on a file that is not a draft.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.config import get_settings
from sales_agent.domain import Draft, GateResult, GateStatus
from sales_agent.errors import SalesAgentError

__all__ = ["DraftFileError", "gate_app", "parse_draft_file", "public_result"]

gate_app = typer.Typer(no_args_is_help=True, help="Quality gate: judge a draft before it goes.")
console = Console()

_SUBJECT = "subject:"
_COLOURS = {GateStatus.PASS: "green", GateStatus.WARN: "yellow", GateStatus.FAIL: "red"}


class DraftFileError(SalesAgentError):
    """A draft file that does not have the `Subject:` line, blank line, body layout."""

    code = "draft_file_error"


def parse_draft_file(text: str, *, name: str = "the draft file") -> tuple[str, str]:
    """The subject and body of a draft file; DraftFileError saying what to fix otherwise."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    layout = "write a 'Subject: ...' line, a blank line, then the body"
    if not lines[0].lower().startswith(_SUBJECT):
        raise DraftFileError(f"{name} does not start with a 'Subject:' line: {layout}")
    subject = lines[0][len(_SUBJECT) :].strip()
    if not subject:
        raise DraftFileError(f"{name} has an empty subject: {layout}")
    if len(lines) < 2 or lines[1].strip():
        raise DraftFileError(f"{name} needs a blank line after the subject: {layout}")
    body = "\n".join(lines[2:]).strip("\n")
    if not body.strip():
        raise DraftFileError(f"{name} has no body: {layout}")
    return subject, body


def public_result(result: GateResult) -> dict[str, Any]:
    """The gate result with exactly the keys the issue names (the JSON interface)."""
    return {
        "status": result.status.value,
        "risk_score": result.risk_score,
        "violations": [v.model_dump() for v in result.violations],
        "reason": result.reason,
        "send_allowed": result.send_allowed,
        "approval_required": result.approval_required,
        "suggestions": list(result.suggestions),
    }


def _evaluate(draft: Draft) -> GateResult:
    from sales_agent.nodes.resolve_identity import lookup_identity
    from sales_agent.policy.gate_context import gather_gate_context
    from sales_agent.policy.quality import evaluate_draft
    from sales_agent.services import open_services

    with open_services(get_settings()) as services, services.pool.connection() as conn:
        recipient = lookup_identity(services, draft.to[0]) if draft.to else None
        ctx = gather_gate_context(
            conn,
            settings=services.settings,
            voice=services.voice,
            names=services.crm_names,
            recipient=recipient,
        )
    return evaluate_draft(draft, ctx)


def _print(result: GateResult) -> None:
    colour = _COLOURS[result.status]
    console.print(
        f"[bold {colour}]{result.status}[/]  risk {result.risk_score}/100  "
        f"send allowed: {'yes' if result.send_allowed else 'no'}  "
        f"approval required: {'yes' if result.approval_required else 'no'}"
    )
    console.print(escape(result.reason))
    if result.violations:
        table = Table("check", "severity", "message")
        for v in result.violations:
            table.add_row(v.check, v.severity, escape(v.message))
        console.print(table)
    for suggestion in result.suggestions:
        console.print(f"- {escape(suggestion)}")


@gate_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="Draft file: 'Subject: ...', blank line, body.")],
    to: Annotated[
        str | None, typer.Option("--to", help="Recipient address, checked as in a run.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Evaluate a draft file with the quality gate; exit 1 on FAIL."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftFileError(f"cannot read {file}: {exc}") from None
    subject, body = parse_draft_file(text, name=str(file))
    if to is not None and "@" not in to:
        raise DraftFileError(f"--to {to!r} is not an email address")
    draft = Draft(to=(to.strip().lower(),) if to else (), subject=subject, body=body)
    result = _evaluate(draft)
    if as_json:
        typer.echo(json.dumps(public_result(result), indent=2))
    else:
        _print(result)
    if result.status is GateStatus.FAIL:
        raise typer.Exit(1)
