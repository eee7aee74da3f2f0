"""`sales-agent story pitch STORY --segment S [--limit N] --dry-run | --create [--json]`.

A dry run shows the ranked contacts, the first three pitches in full and the stats (created,
skipped by reason) and changes nothing anywhere. `--create` places the Gmail drafts and CRM
notes and stops at the bulk approval (the inbox's campaign view, or the thread's resume).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.cli._common import default_actor
from sales_agent.config import get_settings

__all__ = ["pitch_command", "run_summary"]

console = Console()
_SHOWN_IN_FULL = 3


def run_summary(run: Any) -> dict[str, Any]:
    """The JSON interface of `story pitch`: ranked contacts, pitches, skips, stats, outcome."""
    state = run.state
    return {
        "execution_id": run.execution_id,
        "story_id": state.story_id,
        "dry_run": state.dry_run,
        "outcome": state.outcome,
        "outcome_reason": state.outcome_reason,
        "awaiting_approval": bool(run.interrupts),
        "ranked": [
            {
                "email": t.contact.email,
                "company": t.contact.company_name,
                "persona": t.fit.persona.value if t.fit.persona else None,
                "industry": t.fit.industry,
                "rank_score": t.rank_score,
                "reason": t.reason,
            }
            for t in state.targets
        ],
        "pitches": [
            {
                "email": p.email,
                "subject": p.draft.subject,
                "body": p.draft.body,
                "writer": p.writer,
                "detail": p.detail,
                "gate": p.gate.status.value if p.gate else None,
                "status": p.status,
            }
            for p in state.pitches
        ],
        "skipped": [s.model_dump(mode="json") for s in state.skipped],
        "stats": state.stats,
    }


def _print(summary: dict[str, Any]) -> None:
    table = Table("#", "contact", "company", "persona", "score", "why")
    for n, row in enumerate(summary["ranked"], start=1):
        table.add_row(
            str(n),
            row["email"],
            escape(row["company"] or "-"),
            row["persona"] or "-",
            f"{row['rank_score']:.2f}",
            escape(row["reason"]),
        )
    console.print(table)
    for pitch in summary["pitches"][:_SHOWN_IN_FULL]:
        console.print(f"\n[bold]To {pitch['email']}[/bold] (gate {pitch['gate']})")
        console.print(escape(f"Subject: {pitch['subject']}\n\n{pitch['body']}"))
    console.print()
    console.print(escape(", ".join(f"{k} {v}" for k, v in summary["stats"].items())))
    if summary["awaiting_approval"]:
        console.print(
            f"{len(summary['pitches'])} pitch(es) await approval in the inbox's campaign view "
            f"(execution {summary['execution_id']})."
        )
    elif summary["outcome_reason"] and summary["outcome"] != "dry_run":
        console.print(escape(f"{summary['outcome']}: {summary['outcome_reason']}"))


def pitch_command(
    story_id: Annotated[str, typer.Argument(help="The story campaign's id.")],
    segment: Annotated[
        str,
        typer.Option("--segment", help="`all`, or filters: persona=buyer,industry=Logistics."),
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="At most N pitches.")] = 20,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run/--create", help="Preview only (default), or create the drafts."),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank a segment for a story and write each contact a pitch (dry run or create)."""
    from sales_agent.graph.context import FollowupContext
    from sales_agent.graph.story_state import StoryInput
    from sales_agent.jobs.story_runs import run_story
    from sales_agent.policy.segments import parse_segment
    from sales_agent.policy.story_campaigns import find_campaign
    from sales_agent.services import open_services

    parse_segment(segment)  # a bad segment fails before anything starts
    with open_services(get_settings()) as services:
        with services.pool.connection() as conn:
            find_campaign(conn, story_id)
        story_input = StoryInput(story_id=story_id, segment=segment, limit=limit, dry_run=dry_run)
        run = run_story(services, story_input, FollowupContext(actor=default_actor()))
    summary = run_summary(run)
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    _print(summary)
