"""`sales-agent eval`: run datasets, re-score recorded traces."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["eval_app"]

eval_app = typer.Typer(no_args_is_help=True, help="Evals: run scenarios, re-score traces.")
console = Console()


@eval_app.command("run")
def eval_run(
    dataset: Annotated[Path, typer.Option(help="Scenario file (JSON lines).")],
    traces: Annotated[Path, typer.Option(help="Folder for the JSON-lines traces.")] = Path(
        "evals/traces"
    ),
) -> None:
    """Run each scenario, record its trace, score the hard constraints."""
    from sales_agent.evals.runner import run_dataset

    report = run_dataset(dataset, traces)
    console.print(report.table())
    console.print(f"traces: {report.trace_path}")
    if not report.passed:
        raise typer.Exit(1)


@eval_app.command("replay")
def eval_replay(
    path: Annotated[Path, typer.Argument(help="A trace file or a folder of them.")],
) -> None:
    """Re-score recorded traces without running the graph."""
    from sales_agent.evals.runner import replay

    report = replay(path)
    console.print(report.table())
    if not report.passed:
        raise typer.Exit(1)
