"""The eval runner: each scenario through the real graph, one JSON-lines trace per run.

`run_dataset` runs live (embedded Postgres, in-process sandbox, offline writer) and records;
`replay` re-scores recorded traces without running anything.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from rich.table import Table

from sales_agent.demo import ACCEPT, demo_settings
from sales_agent.errors import SalesAgentError
from sales_agent.evals.scoring import Score, score_trace
from sales_agent.evals.tracing import TraceRecorder
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.runs import (
    FollowupGraph,
    compile_followup,
    forget_followup_thread,
    resume,
    start,
)
from sales_agent.graph.state import FollowupInput
from sales_agent.graph.thread_ids import thread_id_for
from sales_agent.services import open_services

__all__ = ["EvalReport", "Scenario", "replay", "run_dataset"]


class Scenario(BaseModel):
    """One line of a dataset."""

    name: str
    input: FollowupInput
    resume: Any = Field(default_factory=lambda: ACCEPT)
    now: datetime | None = None
    expect: dict[str, Any] = Field(default_factory=dict)


@dataclass
class EvalReport:
    """Scores per run, and where the traces went."""

    rows: list[tuple[str, list[Score]]] = field(default_factory=list)
    trace_path: Path | None = None

    @property
    def passed(self) -> bool:
        """True when every hard constraint of every run passed."""
        return all(score.passed for _, scores in self.rows for score in scores)

    def table(self) -> Table:
        """A rich table: one row per run, one column per evaluator."""
        names = [score.name for score in self.rows[0][1]] if self.rows else []
        table = Table("scenario", *names, title="Hard constraints")
        for scenario, scores in self.rows:
            cells = [("[green]pass[/]" if s.passed else f"[red]FAIL[/] {s.detail}") for s in scores]
            table.add_row(scenario, *cells)
        return table


def load_scenarios(path: Path) -> list[Scenario]:
    """Parse a JSON-lines dataset, naming the line of any bad scenario."""
    scenarios = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            scenarios.append(Scenario.model_validate_json(line))
        except ValidationError as exc:
            raise SalesAgentError(f"{path}:{number}: not a valid scenario: {exc}") from None
    return scenarios


def _run_one(graph: FollowupGraph, scenario: Scenario) -> dict[str, Any]:
    trigger = scenario.input.trigger
    now = scenario.now or datetime.now(UTC)
    context = FollowupContext(now=now)
    recorder = TraceRecorder()
    t0 = time.perf_counter()
    waiting = start(graph, trigger, context, callbacks=[recorder])
    interrupt = waiting.interrupts[0] if waiting.interrupts else None
    done = (
        resume(graph, waiting.thread_id, scenario.resume, context, callbacks=[recorder])
        if interrupt
        else waiting
    )
    total_ms = round((time.perf_counter() - t0) * 1000, 3)
    state = done.state
    return {
        "scenario": scenario.name,
        "thread_id": waiting.thread_id,
        "now": now.isoformat(),
        "input": scenario.input.model_dump(mode="json"),
        "expect": scenario.expect,
        **recorder.as_dict(),
        "total_ms": total_ms,
        "outputs": {
            "draft": state.draft.model_dump(mode="json") if state.draft else None,
            "gate": state.gate.model_dump(mode="json") if state.gate else None,
            "slots": [slot.model_dump(mode="json") for slot in state.slots],
            "gmail_draft_id": state.gmail_draft_id,
            "crm_note_id": state.crm_note_id,
            "interrupt": interrupt,
            "outcome": state.outcome.value if state.outcome else None,
        },
    }


def run_dataset(dataset: Path, traces_dir: Path) -> EvalReport:
    """Run every scenario of `dataset` live; write the traces; score them."""
    scenarios = load_scenarios(dataset)
    traces_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    trace_path = traces_dir / f"{dataset.stem}-{stamp}.jsonl"
    report = EvalReport(trace_path=trace_path)
    with open_services(demo_settings()) as services, trace_path.open("w", encoding="utf-8") as out:
        graph = compile_followup(services)
        for scenario in scenarios:
            forget_followup_thread(services, thread_id_for(scenario.input.trigger))
            trace = _run_one(graph, scenario)
            out.write(json.dumps(trace, default=str) + "\n")
            report.rows.append((scenario.name, score_trace(trace)))
    return report


def _traces(path: Path) -> Iterator[dict[str, Any]]:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise SalesAgentError(f"no trace files (*.jsonl) in {path}")
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def replay(path: Path) -> EvalReport:
    """Re-score recorded traces (a file or a folder of `*.jsonl`) without running the graph."""
    report = EvalReport(trace_path=path)
    for trace in _traces(path):
        report.rows.append((str(trace["scenario"]), score_trace(trace)))
    return report
