"""`sales-agent demo`: the main job against the sandbox, printed for a person or as JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

__all__ = ["demo"]

console = Console()


def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    scenario: Annotated[
        str | None,
        typer.Option(help="A named sandbox scenario (e.g. pricing_question); default: the seed."),
    ] = None,
) -> None:
    """Run a lead to approval, accept it, and show the plan, the draft and where it landed."""
    from sales_agent.config import sandbox_settings
    from sales_agent.demo import run_demo

    report = run_demo(sandbox_settings(), scenario)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    _print_demo(report)


def _print_demo(report: dict[str, Any]) -> None:
    plan = report["plan"]
    if plan is not None:
        console.print(f"[bold]Plan:[/] {plan['action']} ({plan['tone']}): {plan['reason']}")
    draft = report["draft"]
    if draft is not None:
        console.print(
            Panel(
                f"[bold]To:[/] {', '.join(draft['to'])}\n[bold]Subject:[/] {draft['subject']}"
                f"\n\n{draft['body']}",
                title=f"Draft for {report['contact_email']} ({report['company']})",
            )
        )
    zone = ZoneInfo(report["timezone"])
    if report["slot_details"] and draft is not None:
        slots = Table(f"When ({report['timezone']})", "Why", title="Meeting slots from free/busy")
        for slot in report["slot_details"]:
            start = datetime.fromisoformat(slot["start"]).astimezone(zone)
            slots.add_row(f"{start:%a %d %b %H:%M}", slot["reason"])
        console.print(slots)
    if report["gmail"] is not None:
        gmail = report["gmail"]
        console.print(
            f"Gmail draft [bold]{report['gmail_draft_id']}[/] in thread {gmail['thread_id']}, "
            f"In-Reply-To {gmail['in_reply_to']}; HubSpot note {report['crm_note_id']}; "
            f"gate {report['gate']['status']}"
        )
    for task in report["tasks"]:
        console.print(f"HubSpot task {task['id']}: {task['subject']} (due {task['due']})")
    console.print(
        f"outcome {report['outcome']}: {report['outcome_reason']}\n"
        f"mode {report['mode']} | suppressed {report['suppressed']} | "
        f"LangGraph thread {report['thread_id']} | trace {report['trace_path']}"
    )
