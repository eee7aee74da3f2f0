"""The offline reader's speed: one message read (intent, language, dates, times), repeated.

The messages are the labelled replies' texts (both splits: speed, not accuracy, is measured
here). Each run reads every message once after a warm-up (the classifier is trained and
`dateparser` has loaded its languages, as in a long-lived worker); the report gives the
median over the runs of each run's percentiles.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sales_agent.bench.report import CallLatency, machine_summary, time_calls, update_section
from sales_agent.nodes.offline.labelled import labelled_replies
from sales_agent.nodes.offline.reader import read_message

__all__ = ["TARGET_P95_MS", "ReaderBenchResult", "reader_report", "run_reader_bench"]

TARGET_P95_MS = 30.0
_NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


class ReaderBenchResult(CallLatency):
    """The offline reader's latency per message."""

    messages: int

    @property
    def meets_target(self) -> bool:
        """True when p95 is under the target."""
        return self.p95_ms < TARGET_P95_MS


def run_reader_bench(dataset: Path, *, runs: int) -> ReaderBenchResult:
    """Read every message of `dataset` `runs` times; the latency per message.

    The warm-up read trains the classifier and loads dateparser's languages, as a long-lived
    process has them.
    """
    calls = [
        partial(read_message, r.text, subject=r.subject, sender=r.sender, known=set(), now=_NOW)
        for r in labelled_replies([dataset])
    ]
    latency = time_calls(calls, runs=runs)
    return ReaderBenchResult(messages=len(calls), **latency.model_dump())


def reader_report(result: ReaderBenchResult, *, command: str, report: Path) -> None:
    """Write the reader's section of the benchmarks report."""
    verdict = "met" if result.meets_target else "**missed**"
    update_section(
        report,
        "reader",
        f"""## Offline thread reader

Target: p95 under {TARGET_P95_MS:g} ms per message: {verdict}.

- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC
- Machine: {machine_summary()}
- Command: `{command}`
- Workload: the {result.messages} inbound messages of `evals/datasets/replies.jsonl`, each
  read once per run (rules, classifier, language, dates, times); {result.runs} runs after a
  warm-up; each figure is the median over the runs of that run's percentile.

| percentile | ms per message |
| --- | --- |
| p50 | {result.p50_ms:.3f} |
| p95 | {result.p95_ms:.3f} |
| p99 | {result.p99_ms:.3f} |
""",
    )
