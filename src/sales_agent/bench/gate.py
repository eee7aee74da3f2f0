"""The quality gate benchmark: golden drafts evaluated repeatedly, latency per evaluation.

Each run evaluates the drafts round-robin `evaluations` times and takes its p50, p95 and
p99; the report gives the median of each over the runs, so one noisy run does not decide.
Contexts are built before timing: the benchmark measures the gate, not the gathering.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from sales_agent.bench.golden import build_case, load_golden
from sales_agent.bench.report import machine_summary, median_percentiles, update_section
from sales_agent.policy.quality import evaluate_draft

__all__ = ["TARGET_P95_MS", "GateBenchResult", "gate_report", "run_gate_bench"]

TARGET_P95_MS = 5.0
_PERCENTILES = (50, 95, 99)


class GateBenchResult(BaseModel):
    """Medians over runs of each run's percentiles, in milliseconds per evaluation."""

    model_config = ConfigDict(frozen=True)

    drafts: int
    runs: int
    evaluations: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def meets_target(self) -> bool:
        """True when p95 is under the design target."""
        return self.p95_ms < TARGET_P95_MS


def run_gate_bench(golden_path: Path, *, runs: int, evaluations: int) -> GateBenchResult:
    """Time `runs` x `evaluations` gate evaluations over the golden drafts."""
    golden = load_golden(golden_path)
    cases = [build_case(golden, case) for case in golden.drafts]
    for draft, ctx in cases:  # warm the pattern caches, as a long-lived process has them
        evaluate_draft(draft, ctx)
    per_run: list[list[float]] = []
    for _ in range(runs):
        samples = []
        for i in range(evaluations):
            draft, ctx = cases[i % len(cases)]
            start = time.perf_counter_ns()
            evaluate_draft(draft, ctx)
            samples.append((time.perf_counter_ns() - start) / 1e6)
        per_run.append(samples)
    median = median_percentiles(per_run, _PERCENTILES)
    return GateBenchResult(
        drafts=len(cases),
        runs=runs,
        evaluations=evaluations,
        p50_ms=median[50],
        p95_ms=median[95],
        p99_ms=median[99],
    )


def _shown(path: Path) -> str:
    # The report is committed: never write this machine's absolute paths into it.
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.name
    return path.as_posix()


def gate_report(result: GateBenchResult, *, command: str, golden_path: Path, report: Path) -> None:
    """Write the gate's section of the benchmarks report."""
    verdict = "met" if result.meets_target else "**missed**"
    update_section(
        report,
        "gate",
        f"""## Quality gate

Target: p95 under {TARGET_P95_MS:g} ms per draft evaluation: {verdict}.

- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC
- Machine: {machine_summary()}
- Command: `{command}`
- Workload: the {result.drafts} golden drafts of `{_shown(golden_path)}`, evaluated
  round-robin; {result.runs} runs x {result.evaluations} evaluations; each figure is the
  median over the runs of that run's percentile.

| percentile | ms per evaluation |
| --- | --- |
| p50 | {result.p50_ms:.3f} |
| p95 | {result.p95_ms:.3f} |
| p99 | {result.p99_ms:.3f} |
""",
    )
