"""`sales-agent runs`: the failed runs nobody has handled yet, and retrying one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.cli._common import ActorOption, policy_connection

__all__ = ["runs_app"]

runs_app = typer.Typer(no_args_is_help=True, help="Background runs: failed ones, retries.")
console = Console()


@runs_app.command("failed")
def runs_failed(
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=1000, help="At most this many.")
    ] = 100,
) -> None:
    """List the runs that failed for good and were not retried yet, oldest first."""
    from sales_agent.jobs.retry_runs import list_failed_runs

    with policy_connection() as conn:
        failed = list_failed_runs(conn, limit=limit)
    if not failed:
        console.print("no failed runs waiting")
        return
    table = Table("run id", "thread", "kind", "failed at", "attempts", "error")
    for run in failed:
        table.add_row(
            run.run_id,
            escape(run.thread_id),
            run.kind,
            run.updated_at.isoformat(timespec="seconds"),
            str(run.attempts),
            escape(run.error or ""),
        )
    console.print(table)


@runs_app.command("retry")
def runs_retry(
    run_id: Annotated[str, typer.Argument(help="The failed run's id (from `runs failed`).")],
    actor: ActorOption,
    reason: Annotated[
        str, typer.Option("--reason", help="Why, for the audit log.")
    ] = "retried from the failed runs",
) -> None:
    """Queue a new run doing what the failed one should have done (a worker picks it up)."""
    from sales_agent.jobs.retry_runs import retry_run

    with policy_connection() as conn:
        new_run_id = retry_run(conn, run_id, actor=actor, reason=reason)
    console.print(f"run {run_id} retried as run {new_run_id}")
