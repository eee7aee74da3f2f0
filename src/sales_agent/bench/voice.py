"""The voice learning benchmark: emails learned per second, on the sandbox operator's mail.

The Sent folder is fetched once from the in-process sandbox, then replicated in memory (each
copy with its own id) to a few thousand emails, so the timing measures the learning (strip,
redact, learn), not HTTP. Each run learns the whole set; the report gives the median run.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from sales_agent.bench.report import machine_summary, update_section
from sales_agent.memory.voice.corpus import RawEmail, clean_emails, fetch_sent, sandbox_mailbox
from sales_agent.memory.voice.learn import learn_voice
from sales_agent.policy.pii import default_redactor
from sales_agent.sandbox import SandboxServer

__all__ = [
    "TARGET_EMAILS_PER_SECOND",
    "VoiceBenchResult",
    "run_voice_bench",
    "sandbox_corpus",
    "voice_report",
]

TARGET_EMAILS_PER_SECOND = 500.0
_OPERATOR_MAILBOX = "me"
_OPERATOR_NAME = "Dana Reyes"  # the sandbox operator


class VoiceBenchResult(BaseModel):
    """Throughput of the median run, and the workload behind it."""

    model_config = ConfigDict(frozen=True)

    source_emails: int
    emails: int
    runs: int
    median_seconds: float
    emails_per_second: float

    @property
    def meets_target(self) -> bool:
        """True when learning keeps up with the design target."""
        return self.emails_per_second >= TARGET_EMAILS_PER_SECOND


def sandbox_corpus() -> list[RawEmail]:
    """The sandbox operator's Sent mail, fetched once over the sandbox's Gmail API."""
    with SandboxServer() as sandbox:
        return fetch_sent(sandbox_mailbox(sandbox.url, _OPERATOR_MAILBOX), limit=None, since=None)


def run_voice_bench(corpus: list[RawEmail], *, emails: int, runs: int) -> VoiceBenchResult:
    """Learn `runs` times from `corpus` replicated to `emails` messages; median throughput."""
    replicated = [
        RawEmail(id=f"{raw.id}-{i}", body=raw.body)
        for i in range(emails // len(corpus) + 1)
        for raw in corpus
    ][:emails]
    redactor = default_redactor()
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        learn_voice(clean_emails(replicated, redactor, _OPERATOR_NAME))
        durations.append(time.perf_counter() - start)
    median = statistics.median(durations)
    return VoiceBenchResult(
        source_emails=len(corpus),
        emails=len(replicated),
        runs=runs,
        median_seconds=round(median, 4),
        emails_per_second=round(len(replicated) / median, 1),
    )


def voice_report(result: VoiceBenchResult, *, command: str, report: Path) -> None:
    """Write the voice learning section of the benchmarks report."""
    verdict = "met" if result.meets_target else "**missed**"
    update_section(
        report,
        "voice",
        f"""## Voice learning

Target: at least {TARGET_EMAILS_PER_SECOND:g} emails per second: {verdict}.

- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC
- Machine: {machine_summary()}
- Command: `{command}`
- Workload: the sandbox operator's {result.source_emails} Sent emails, fetched once and
  replicated in memory to {result.emails}; each run strips quotes and signatures, redacts
  PII and learns the whole profile; {result.runs} runs, the median is reported.

| emails | median seconds | emails per second |
| --- | --- | --- |
| {result.emails} | {result.median_seconds:.3f} | {result.emails_per_second:.0f} |
""",
    )
