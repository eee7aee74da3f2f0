"""`sales-agent sequences`: the follow-up sequences, one stop, a contact's cadence, due touches."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.cli._common import ActorOption, ReasonOption, policy_connection

__all__ = ["sequences_app"]

sequences_app = typer.Typer(
    no_args_is_help=True, help="Follow-up sequences: list, show, stop, cadence, due touches."
)
console = Console()

JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object on standard output.")]


def _parse_now(value: str | None) -> datetime:
    """`--now` as an aware datetime (UTC when it names no zone); the wall clock without it."""
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO 8601 time: use e.g. 2026-03-05T09:00:00+00:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, default=str))


@sequences_app.command("list")
def sequences_list(
    status: Annotated[
        str | None,
        typer.Option("--status", help="active, paused, stopped or completed."),
    ] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="One lead's address.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 100,
    as_json: JsonOption = False,
) -> None:
    """The sequences, newest first."""
    from sales_agent.db.sequences import list_sequences
    from sales_agent.domain.sequence import SEQUENCE_STATUSES

    wanted = next((known for known in SEQUENCE_STATUSES if known == status), None)
    if status is not None and wanted is None:
        raise typer.BadParameter(f"--status must be one of {', '.join(SEQUENCE_STATUSES)}")
    with policy_connection() as conn:
        rows = list_sequences(conn, status=wanted, email=contact, limit=limit)
    if as_json:
        _print_json({"sequences": [row.model_dump(mode="json") for row in rows]})
        return
    table = Table("id", "contact", "status", "touches", "next due", "stop reason")
    for row in rows:
        table.add_row(
            str(row.id),
            escape(row.contact_email),
            row.status,
            f"{row.touches_done}/{row.max_touches}",
            row.next_due_at.isoformat(timespec="minutes") if row.next_due_at else "",
            row.stop_reason or "",
        )
    console.print(table)


@sequences_app.command("show")
def sequences_show(
    sequence_id: Annotated[int, typer.Argument(help="The sequence's id (from `list`).")],
) -> None:
    """One sequence as JSON: cadence, touches, next due time, why it stopped."""
    from sales_agent.policy.sequence_admin import require_sequence

    with policy_connection() as conn:
        _print_json(require_sequence(conn, sequence_id).model_dump(mode="json"))


@sequences_app.command("stop")
def sequences_stop(
    sequence_id: Annotated[int, typer.Argument(help="The sequence's id (from `list`).")],
    reason: ReasonOption,
    actor: ActorOption,
) -> None:
    """Stop a sequence for good (audited); no further touch is written."""
    from sales_agent.policy.sequence_admin import stop_by_operator

    with policy_connection() as conn:
        row = stop_by_operator(
            conn, sequence_id=sequence_id, actor=actor, reason=reason, now=datetime.now(UTC)
        )
    console.print(f"sequence {row.id} stopped ({escape(row.contact_email)})")


@sequences_app.command("set-cadence")
def sequences_set_cadence(
    contact: Annotated[str, typer.Argument(help="The lead's address.")],
    days: Annotated[
        str, typer.Option("--days", help="Business days before each follow-up, e.g. 2,4,7.")
    ],
    reason: ReasonOption,
    actor: ActorOption,
    max_touches: Annotated[
        int | None,
        typer.Option(
            "--max-touches", min=0, max=10, help="Follow-ups at most (default: --days' count)."
        ),
    ] = None,
) -> None:
    """Give one contact a cadence of their own (their live sequence follows it at once)."""
    from pydantic import ValidationError

    from sales_agent.domain.sequence import Cadence
    from sales_agent.policy.sequence_admin import set_cadence

    try:
        waits = tuple(int(part) for part in days.split(",") if part.strip())
        cadence = Cadence(
            days=waits, max_touches=len(waits) if max_touches is None else max_touches
        )
    except (ValueError, ValidationError) as exc:
        raise typer.BadParameter(
            f"--days {days!r}: whole business days 1 to 60, e.g. 3,5,7"
        ) from exc
    with policy_connection() as conn:
        changed = set_cadence(conn, email=contact, cadence=cadence, actor=actor, reason=reason)
    console.print(
        f"cadence for {escape(contact)}: {list(cadence.days)}, at most {cadence.max_touches} "
        f"follow-ups ({changed} live sequence updated)"
    )


@sequences_app.command("run-due")
def sequences_run_due(
    now: Annotated[
        str | None,
        typer.Option("--now", help="Act as if it were this ISO 8601 time (default: now)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Find the touches due at --now and queue them for the workers (as the periodic job does)."""
    from sales_agent.config import get_settings
    from sales_agent.jobs.sequences import run_due
    from sales_agent.services import migrated_database_url, open_pool

    moment = _parse_now(now)
    with open_pool(migrated_database_url(get_settings()), max_size=1) as pool:
        claimed = run_due(pool, now=moment)
    queued = [{"sequence_id": due.sequence_id, "touch": due.touch} for due in claimed]
    if as_json:
        _print_json({"now": moment.isoformat(), "queued": queued})
        return
    console.print(f"{len(queued)} due touches queued at {moment.isoformat(timespec='minutes')}")
