"""Sustained follow-up throughput through the workers: form leads per second to approval.

As production scales out: `K` separate `sales-agent worker --concurrency C` processes on a
throwaway database and the bench's in-process sandbox (HubSpot, Gmail, Calendar over real
HTTP), the offline writer, the configured embeddings. The bench queues `N` form leads
(distinct threads, sandbox CRM contacts) as the webhooks do, and measures from the first
enqueue to the last run reaching the approval interrupt.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sales_agent.bench.leads import form_leads
from sales_agent.bench.processes import sales_agent_processes
from sales_agent.bench.report import machine_summary, update_section
from sales_agent.jobs.enqueue import enqueue_followup
from sales_agent.memory.drive_index import index_drive, indexed_file_count
from sales_agent.services import Services

__all__ = [
    "TARGET_LEADS_PER_SECOND",
    "ThroughputBenchResult",
    "run_throughput_bench",
    "throughput_report",
]

TARGET_LEADS_PER_SECOND = 20.0
_MESSAGE = "We are growing fast and our deliveries keep slipping. Could we talk next week?"
_TIMEOUT = 600.0
_COUNT = """
SELECT count(*) FILTER (WHERE status = 'interrupted') AS done,
       count(*) FILTER (WHERE status NOT IN ('pending', 'running', 'interrupted')) AS failed,
       max(updated_at) FILTER (WHERE status = 'interrupted') AS last
FROM runs WHERE thread_id LIKE %(prefix)s
"""


@dataclass(frozen=True)
class ThroughputBenchResult:
    """Medians over the runs."""

    leads: int
    runs: int
    workers: int
    concurrency: int
    leads_per_second: float
    seconds: float
    embeddings: str

    @property
    def meets_target(self) -> bool:
        """At least the issue's 20 leads per second."""
        return self.leads_per_second >= TARGET_LEADS_PER_SECOND


def _enqueue(services: Services, leads: int, tag: str) -> None:
    for trigger in form_leads(services, leads, tag, _MESSAGE):
        enqueue_followup(services, trigger, metadata={"source": "bench"})


def _wait(services: Services, leads: int, tag: str, logs: list[Path]) -> float:
    """Wait for every lead of `tag` to reach approval; the wall time of the last one."""
    deadline = time.monotonic() + _TIMEOUT
    while True:
        with services.pool.connection() as conn:
            row = conn.execute(_COUNT, {"prefix": f"form:bench-{tag}-%"}).fetchone()
        assert row is not None
        if row["failed"]:
            tail = "\n".join(log.read_text()[-2000:] for log in logs)
            raise RuntimeError(f"{row['failed']} bench runs failed; worker logs:\n{tail}")
        if row["done"] == leads:
            return float(row["last"].timestamp())
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {row['done']} of {leads} leads reached approval")
        time.sleep(0.05)


def _round(services: Services, leads: int, tag: str, logs: list[Path]) -> float:
    """Queue `leads` leads and return the seconds from the first enqueue to the last interrupt."""
    start = time.time()
    _enqueue(services, leads, tag)
    return _wait(services, leads, tag, logs) - start


def run_throughput_bench(
    services: Services, *, leads: int, runs: int, workers: int, concurrency: int
) -> ThroughputBenchResult:
    """Start the workers, warm them up, then `runs` rounds of `leads` queued leads."""
    if indexed_file_count(services) == 0:
        index_drive(services)  # find_assets searches real chunks, as in production
    command = ["worker", "--concurrency", str(concurrency), "--heartbeat", "1"]
    with (
        tempfile.TemporaryDirectory(prefix="bench-throughput-") as work,
        sales_agent_processes(services, Path(work), [command] * workers) as started,
    ):
        logs = [log for _, log in started]
        _round(services, workers * concurrency * 2, "warmup", logs)
        seconds = [_round(services, leads, f"r{run}", logs) for run in range(runs)]
    median = statistics.median(seconds)
    return ThroughputBenchResult(
        leads=leads,
        runs=runs,
        workers=workers,
        concurrency=concurrency,
        leads_per_second=round(leads / median, 2),
        seconds=round(median, 2),
        embeddings=services.embedding_spec.describe(),
    )


def throughput_report(result: ThroughputBenchResult, *, command: str, report: Path) -> None:
    """Rewrite the throughput section of the benchmarks report."""
    verdict = "met" if result.meets_target else "MISSED"
    update_section(
        report,
        "throughput",
        f"""
## Follow-up throughput through the workers

Target: at least {TARGET_LEADS_PER_SECOND:g} leads per second from queue to approval \
interrupt: {verdict} ({result.leads_per_second} leads/s).

- Date: {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
- Machine: {machine_summary()}
- Command: `{command}`
- Setup: {result.workers} `sales-agent worker --concurrency {result.concurrency}` processes
  (as production scales out) on a throwaway database, the sandbox over HTTP in the bench's
  process, the offline writer, embeddings {result.embeddings}.
- Workload: {result.runs} runs of {result.leads} form leads (distinct threads, sandbox CRM
  contacts) queued as the webhooks queue them, after a warm-up; time from the first enqueue
  to the last run at the approval interrupt; the median run took {result.seconds} s.
""",
    )
