"""The quality gate benchmark: golden drafts evaluated repeatedly, latency per evaluation.

Each run evaluates the drafts round-robin `evaluations` times and takes its p50, p95 and
p99; the report gives the median of each over the runs, so one noisy run does not decide.
Contexts are built before timing: the benchmark measures the gate, not the gathering.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sales_agent.bench.golden import build_case, load_golden
from sales_agent.bench.report import CallLatency, machine_summary, time_calls, update_section
from sales_agent.policy.quality import evaluate_draft

__all__ = ["TARGET_P95_MS", "GateBenchResult", "gate_report", "run_gate_bench"]

TARGET_P95_MS = 5.0


class GateBenchResult(CallLatency):
    """The gate's latency per draft evaluation."""

    drafts: int
    evaluations: int

    @property
    def meets_target(self) -> bool:
        """True when p95 is under the design target."""
        return self.p95_ms < TARGET_P95_MS


def run_gate_bench(golden_path: Path, *, runs: int, evaluations: int) -> GateBenchResult:
    """Time `runs` x `evaluations` gate evaluations over the golden drafts, round-robin."""
    golden = load_golden(golden_path)
    cases = [build_case(golden, case) for case in golden.drafts]
    calls = [partial(evaluate_draft, *cases[i % len(cases)]) for i in range(evaluations)]
    latency = time_calls(calls, runs=runs)
    return GateBenchResult(drafts=len(cases), evaluations=evaluations, **latency.model_dump())


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
