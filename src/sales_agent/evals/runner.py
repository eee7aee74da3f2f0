"""The eval runner: every case through the real graph, one trace per case, each scored.

Traces are written as JSON lines; `replay` re-scores recorded traces without running.

Traces go to `<traces>/<run stamp>/<dataset>[-<split>].jsonl`; the stamp is the run's start.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sales_agent.config import Settings
from sales_agent.errors import SalesAgentError
from sales_agent.evals.clock import EVAL_CLOCK
from sales_agent.evals.dataset import Case, Split, load_cases
from sales_agent.evals.evaluators import score_trace
from sales_agent.evals.scenario import compile_graph, run_case
from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Verdict
from sales_agent.evals.workspace import (
    lift_suppressions,
    open_eval_services,
    reset_sandbox,
    run_info,
)
from sales_agent.services import Services

__all__ = ["EvalRun", "ScoredCase", "load_traces", "replay", "run_datasets", "run_on_services"]


@dataclass(frozen=True)
class ScoredCase:
    """One trace, where it is stored, and its verdicts."""

    trace: Trace
    verdicts: list[Verdict]
    location: str
    """`file:line` of the trace."""


@dataclass
class EvalRun:
    """The scored cases of a run (or a replay) and where their traces are."""

    cases: list[ScoredCase] = field(default_factory=list)
    trace_dir: Path | None = None
    seconds: float = 0.0


def _stamp(started_at: datetime) -> str:
    return started_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _progress(console: Console | None) -> Progress:
    target = console or Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=target,
        transient=True,
        disable=not target.is_terminal,
    )


def run_on_services(
    services: Services,
    datasets: Sequence[Path],
    *,
    split: Split | None,
    trace_dir: Path,
    started_at: datetime,
    judge: BaseChatModel | None = None,
    console: Console | None = None,
) -> EvalRun:
    """Run every case of `datasets` (only `split`'s when given) on `services`; score them."""
    loaded: list[tuple[Path, list[Case]]] = [(path, load_cases(path, split)) for path in datasets]
    trace_dir.mkdir(parents=True, exist_ok=True)
    graph = compile_graph(services)
    result = EvalRun(trace_dir=trace_dir)
    t0 = datetime.now(UTC)
    reset_sandbox(services)
    with _progress(console) as progress:
        bar = progress.add_task("eval", total=sum(len(cases) for _, cases in loaded))
        for path, cases in loaded:
            info = run_info(services, dataset=path.stem, split=split, started_at=started_at)
            out_path = trace_dir / f"{path.stem}{f'-{split}' if split else ''}.jsonl"
            with out_path.open("w", encoding="utf-8") as out:
                for number, case in enumerate(cases, start=1):
                    progress.update(bar, description=f"{path.stem}: {case.name}")
                    lift_suppressions(services)
                    trace, _ = run_case(graph, services, case, now=case.now or EVAL_CLOCK, run=info)
                    out.write(trace.model_dump_json() + "\n")
                    verdicts = score_trace(trace, judge)
                    result.cases.append(ScoredCase(trace, verdicts, f"{out_path}:{number}"))
                    progress.advance(bar)
    result.seconds = (datetime.now(UTC) - t0).total_seconds()
    return result


def run_datasets(
    base: Settings,
    datasets: Sequence[Path],
    *,
    split: Split | None = None,
    traces: Path = Path("evals/traces"),
    started_at: datetime | None = None,
    console: Console | None = None,
) -> EvalRun:
    """Run the datasets on a fresh eval database and a sandbox at the eval clock."""
    for path in datasets:
        load_cases(path, split)  # a bad line fails before anything starts
    started = started_at or datetime.now(UTC)
    with open_eval_services(base, EVAL_CLOCK) as services:
        return run_on_services(
            services,
            datasets,
            split=split,
            trace_dir=traces / _stamp(started),
            started_at=started,
            judge=services.chat_model,
            console=console,
        )


def load_traces(path: Path) -> Iterator[tuple[Trace, str]]:
    """Every trace in a file, or in the `*.jsonl` files of a folder, with its `file:line`."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise SalesAgentError(f"no trace files (*.jsonl) at {path}")
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    yield Trace.model_validate(json.loads(line)), f"{file}:{number}"
                except ValueError as exc:
                    raise SalesAgentError(f"{file}:{number}: not a trace: {exc}") from None


def replay(path: Path, judge: BaseChatModel | None = None) -> EvalRun:
    """Re-score recorded traces (a file or a run's folder) without running the graph."""
    result = EvalRun(trace_dir=path if path.is_dir() else path.parent)
    for trace, location in load_traces(path):
        result.cases.append(ScoredCase(trace, score_trace(trace, judge), location))
    return result
