"""`sales-agent watch`: poll HubSpot forms and Gmail history for installs without webhooks."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from sales_agent.triggers.poller import PollResult

__all__ = ["watch_command"]

console = Console()


def _line(result: PollResult) -> str:
    parts = []
    if result.forms is not None:
        state = "baseline set" if result.forms.baseline else f"{len(result.forms.run_ids)} runs"
        parts.append(f"hubspot forms: {state} (cursor {result.forms.cursor.isoformat()})")
    if result.gmail is not None:
        state = "baseline set" if result.gmail.baseline else f"{len(result.gmail.run_ids)} runs"
        parts.append(f"gmail: {state} (history id {result.gmail.history_id})")
    parts.extend(f"[red]failed[/] {error}" for error in result.errors)
    return "; ".join(parts)


def watch_command(
    interval: Annotated[
        float | None,
        typer.Option(
            "--interval", min=1, help="Seconds between polls (default from settings: 60)."
        ),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
) -> None:
    """Poll HubSpot form submissions and Gmail history; queue a follow-up per new lead.

    The first poll of each source only records where to start. Runs are queued for the
    workers (`sales-agent serve` or `sales-agent worker`) to execute.
    """
    from sales_agent.services import open_services
    from sales_agent.triggers.poller import watch

    with open_services() as services:
        seconds = interval or services.settings.watch_interval_seconds
        if not once:
            console.print(f"watching every {seconds:g} s (Ctrl+C to stop)")
        try:
            result = watch(
                services,
                interval=seconds,
                once=once,
                report=lambda r: console.print(_line(r), highlight=False),
            )
        except KeyboardInterrupt:
            return
    if result.errors:
        raise typer.Exit(1)
