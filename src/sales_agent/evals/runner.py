"""The eval runner: each scenario through the real graph, one JSON-lines trace per run.

`run_dataset` runs live (embedded Postgres, in-process sandbox, offline writer) and records;
`replay` re-scores recorded traces without running anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.table import Table

from sales_agent.config import sandbox_settings
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.errors import SalesAgentError
from sales_agent.evals.scenario import Scenario, run_scenario
from sales_agent.evals.scoring import Score, score_trace
from sales_agent.jobs.followup_runs import compile_followup, forget_followup_thread
from sales_agent.services import open_services

__all__ = ["EvalReport", "Scenario", "replay", "run_dataset"]


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


def run_dataset(dataset: Path, traces_dir: Path) -> EvalReport:
    """Run every scenario of `dataset` live; write the traces; score them."""
    scenarios = load_scenarios(dataset)
    traces_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    trace_path = traces_dir / f"{dataset.stem}-{stamp}.jsonl"
    report = EvalReport(trace_path=trace_path)
    with (
        open_services(sandbox_settings()) as services,
        trace_path.open("w", encoding="utf-8") as out,
    ):
        graph = compile_followup(services)
        for scenario in scenarios:
            forget_followup_thread(services, thread_id_for(scenario.input.trigger))
            trace, _ = run_scenario(graph, scenario)
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
