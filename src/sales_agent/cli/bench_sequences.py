"""`sales-agent bench sequences`: `sequences run-due` over 10,000 active sequences.

Registered on the `bench` group in `cli/app.py` (the group's own module is full).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sales_agent.bench.paths import DEFAULT_REPORT_PATH

__all__ = ["bench_sequences"]

console = Console()


def bench_sequences(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (medians are taken).")] = 5,
    sequences: Annotated[int, typer.Option(min=100, help="Active sequences.")] = 10_000,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Find and queue the due touches (target under 2 s at 10,000); exit 1 if missed."""
    from sales_agent.bench.scratch import scratch_database
    from sales_agent.bench.sequences import (
        TARGET_SECONDS,
        run_sequences_bench,
        sequences_report,
    )
    from sales_agent.config import sandbox_settings
    from sales_agent.services import migrated_database_url, open_pool

    with (
        scratch_database(sandbox_settings()) as settings,
        open_pool(migrated_database_url(settings), max_size=2) as pool,
    ):
        result = run_sequences_bench(pool, sequences=sequences, runs=runs)
    for due in sorted(result.seconds):
        console.print(
            f"run-due, {due:,} due of {sequences:,} active, {runs} runs: median "
            f"{result.median(due):.3f} s (target < {TARGET_SECONDS:g} s)"
        )
    if write:
        command = f"sales-agent bench sequences --runs {runs} --sequences {sequences}"
        sequences_report(result, command=command, report=report)
        console.print(f"updated {report}")
    if not result.meets_target:
        raise typer.Exit(1)
