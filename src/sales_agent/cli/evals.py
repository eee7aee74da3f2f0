"""`sales-agent eval`: run datasets, re-score recorded traces, write the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from sales_agent.evals.dataset import Split
    from sales_agent.evals.runner import EvalRun
    from sales_agent.evals.summary import Summary
    from sales_agent.evals.thresholds import Miss

__all__ = ["eval_app"]

eval_app = typer.Typer(no_args_is_help=True, help="Evals: run datasets, re-score traces, report.")
console = Console()

TRACES = Path("evals/traces")
THRESHOLDS = Path("evals/thresholds.toml")
ThresholdsOption = Annotated[
    Path, typer.Option(help="Thresholds file: its [gate] decides the exit code.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")]


def _table(summary: Summary) -> Table:
    table = Table("evaluator", "pass", "fail", "n/a", "rate", title=f"{summary.cases} cases")
    for rate in summary.rates.values():
        shown = "-" if rate.rate is None else f"{100 * rate.rate:.1f}%"
        colour = "green" if not rate.failed else "red"
        table.add_row(
            rate.name,
            str(rate.passed),
            f"[{colour}]{rate.failed}[/]",
            str(rate.not_applicable),
            shown,
        )
    return table


def _as_json(result: EvalRun, summary: Summary, misses: list[Miss]) -> dict[str, Any]:
    return {
        "cases": summary.cases,
        "seconds": round(result.seconds, 2),
        "trace_dir": str(result.trace_dir) if result.trace_dir else None,
        "pass_rates": {
            r.name: {
                "passed": r.passed,
                "failed": r.failed,
                "not_applicable": r.not_applicable,
                "rate": r.rate,
            }
            for r in summary.rates.values()
        },
        "intents": {
            s.intent: {"support": s.support, "recall": s.recall, "precision": s.precision}
            for s in summary.intents.values()
        },
        "gate": {"passed": not misses, "misses": [str(m) for m in misses]},
        "failures": [
            {"case": c.trace.case, "evaluator": name, "reason": reason, "trace": c.location}
            for c, name, reason in summary.failures
        ],
    }


def _finish(result: EvalRun, thresholds: Path, as_json: bool) -> None:
    """Print the summary and the failures; exit 1 when the gate is missed."""
    from sales_agent.evals.summary import summarise
    from sales_agent.evals.thresholds import Thresholds, check, load_thresholds

    summary = summarise(result.cases)
    # Outside the repository the default file is absent: no gate then, an explicit one must exist.
    gate = (
        load_thresholds(thresholds).gate
        if thresholds.exists() or thresholds != THRESHOLDS
        else Thresholds().gate
    )
    misses = check(summary, gate)
    if as_json:
        typer.echo(json.dumps(_as_json(result, summary, misses), indent=2, default=str))
    else:
        console.print(_table(summary))
        for case, name, reason in summary.failures:
            console.print(f"[red]FAIL[/] {name} {case.trace.case}: {reason} ({case.location})")
        if result.trace_dir is not None:
            console.print(f"traces: {result.trace_dir}")
        for miss in misses:
            console.print(f"[red]below the gate[/] {miss}")
    if misses:
        raise typer.Exit(1)


@eval_app.command("run")
def eval_run(
    dataset: Annotated[
        list[Path], typer.Option(help="A dataset (JSON lines); repeat for several.")
    ],
    split: Annotated[str | None, typer.Option(help="Only this split: dev or test.")] = None,
    traces: Annotated[Path, typer.Option(help="Folder for the run's traces.")] = TRACES,
    thresholds: ThresholdsOption = THRESHOLDS,
    as_json: JsonOption = False,
    langsmith: Annotated[
        bool, typer.Option(help="Upload the dataset and the run (needs LANGSMITH_API_KEY).")
    ] = False,
) -> None:
    """Run each case, record its trace, score it; exit 1 below the gate."""
    from sales_agent.config import sandbox_settings
    from sales_agent.errors import SalesAgentError
    from sales_agent.evals.langsmith_sync import langsmith_problem, upload_run
    from sales_agent.evals.runner import run_datasets

    if split not in (None, "dev", "test"):
        raise SalesAgentError(f"--split {split!r}: choose dev or test")
    if langsmith and (problem := langsmith_problem()) is not None:
        raise SalesAgentError(problem)
    chosen = cast("Split | None", split)
    result = run_datasets(sandbox_settings(), dataset, split=chosen, traces=traces)
    if langsmith:
        url = upload_run(result, dataset)
        if not as_json:
            console.print(f"LangSmith experiment: {url}")
    _finish(result, thresholds, as_json)


@eval_app.command("replay")
def eval_replay(
    path: Annotated[Path, typer.Argument(help="A trace file or a run's folder of them.")],
    thresholds: ThresholdsOption = THRESHOLDS,
    as_json: JsonOption = False,
) -> None:
    """Re-score recorded traces without running the graph; exit 1 below the gate.

    With a model configured (SALES_AGENT_MODEL), the LLM judge scores the drafts too.
    """
    from sales_agent.chat_models import chat_model_for
    from sales_agent.config import sandbox_settings
    from sales_agent.evals.runner import replay

    _finish(replay(path, chat_model_for(sandbox_settings())), thresholds, as_json)


def _latest_run(traces: Path) -> Path:
    from sales_agent.errors import SalesAgentError

    runs = sorted(p for p in traces.glob("*") if p.is_dir() and any(p.glob("*.jsonl")))
    if not runs:
        raise SalesAgentError(f"no recorded run under {traces}: `sales-agent eval run` first")
    return runs[-1]


@eval_app.command("report")
def eval_report(
    path: Annotated[
        Path | None,
        typer.Argument(help="A run's folder of traces (default: the newest under evals/traces)."),
    ] = None,
    output: Annotated[Path, typer.Option(help="The report to update.")] = Path("docs/EVALS.md"),
    thresholds: ThresholdsOption = THRESHOLDS,
) -> None:
    """Re-score a recorded run and write its results into the report."""
    from sales_agent.evals.report import write_report
    from sales_agent.evals.runner import replay
    from sales_agent.evals.thresholds import load_thresholds

    result = replay(path or _latest_run(TRACES))
    written = write_report(result.cases, load_thresholds(thresholds), output, root=Path.cwd())
    console.print(f"report: {written} ({len(result.cases)} cases)")
