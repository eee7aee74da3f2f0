"""The eval gate in CI: the `test` split of scenarios.jsonl and replies.jsonl, scored against
the `[gate]` of `evals/thresholds.toml` (what `make test` enforces; `make eval` runs it all)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sales_agent.config import Settings
from sales_agent.evals.clock import EVAL_CLOCK
from sales_agent.evals.runner import run_on_services
from sales_agent.evals.summary import summarise
from sales_agent.evals.thresholds import check, load_thresholds
from sales_agent.evals.workspace import open_eval_services
from sales_agent.services import Services

ROOT = Path(__file__).parents[2]
DATASETS = [
    path
    for path in (
        ROOT / "evals" / "datasets" / name for name in ("scenarios.jsonl", "replies.jsonl")
    )
    if path.is_file()
]


@pytest.fixture(scope="module")
def eval_services(settings: Settings) -> Iterator[Services]:
    with open_eval_services(settings, EVAL_CLOCK, fresh_database=False) as services:
        yield services


@pytest.mark.timeout(600)
def test_the_test_split_meets_the_gate(eval_services: Services, tmp_path: Path) -> None:
    result = run_on_services(
        eval_services,
        DATASETS,
        split="test",
        trace_dir=tmp_path,
        started_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )
    assert result.cases, "no test-split case in the datasets"
    summary = summarise(result.cases)
    misses = check(summary, load_thresholds(ROOT / "evals" / "thresholds.toml").gate)
    failures = [f"{c.trace.case} {name}: {why}" for c, name, why in summary.failures]
    assert not misses, "below the gate: " + "; ".join(map(str, misses)) + "\n" + "\n".join(failures)
