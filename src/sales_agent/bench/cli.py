"""`sales-agent bench`: run a benchmark, print it, and update its section of the report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sales_agent.bench.paths import DEFAULT_GOLDEN_PATH, DEFAULT_REPORT_PATH
from sales_agent.errors import SalesAgentError

__all__ = ["bench_app"]

bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks; results go to docs/BENCHMARKS.md.")
console = Console()


@bench_app.callback()
def _group() -> None:
    """Benchmarks; each updates its own section of docs/BENCHMARKS.md."""


@bench_app.command("gate")
def gate(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (medians are taken).")] = 5,
    evaluations: Annotated[int, typer.Option(min=100, help="Evaluations per run.")] = 1000,
    golden: Annotated[Path, typer.Option(help="Golden drafts file.")] = DEFAULT_GOLDEN_PATH,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Quality gate latency per draft (target p95 under 5 ms); exit 1 if the target is missed."""
    from sales_agent.bench.gate import TARGET_P95_MS, gate_report, run_gate_bench

    if not golden.exists():
        raise SalesAgentError(
            f"{golden} not found: run from a checkout of the repository, or pass --golden PATH"
        )
    result = run_gate_bench(golden, runs=runs, evaluations=evaluations)
    console.print(
        f"quality gate, {result.drafts} drafts, {runs} x {evaluations} evaluations: "
        f"p50 {result.p50_ms:.3f} ms, p95 {result.p95_ms:.3f} ms, p99 {result.p99_ms:.3f} ms "
        f"(target p95 < {TARGET_P95_MS:g} ms)"
    )
    if write:
        command = f"sales-agent bench gate --runs {runs} --evaluations {evaluations}"
        gate_report(result, command=command, golden_path=golden, report=report)
        console.print(f"updated {report}")
    if not result.meets_target:
        raise typer.Exit(1)


@bench_app.command("voice")
def voice(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (the median is taken).")] = 5,
    emails: Annotated[int, typer.Option(min=100, help="Emails per run (replicated).")] = 3000,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Voice learning throughput (target 500 emails/s); exit 1 if the target is missed."""
    from sales_agent.bench.voice import (
        TARGET_EMAILS_PER_SECOND,
        run_voice_bench,
        sandbox_corpus,
        voice_report,
    )

    result = run_voice_bench(sandbox_corpus(), emails=emails, runs=runs)
    console.print(
        f"voice learning, {result.emails} emails x {runs} runs: median "
        f"{result.median_seconds:.3f} s, {result.emails_per_second:.0f} emails/s "
        f"(target >= {TARGET_EMAILS_PER_SECOND:g})"
    )
    if write:
        command = f"sales-agent bench voice --runs {runs} --emails {emails}"
        voice_report(result, command=command, report=report)
        console.print(f"updated {report}")
    if not result.meets_target:
        raise typer.Exit(1)
