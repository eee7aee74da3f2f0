"""`sequences run-due` at scale: find and queue what is due among 10,000 active sequences.

Each run seeds the sequences afresh on a throwaway database (one INSERT over
generate_series, then ANALYZE), with a share of them due, and times `run_due` alone: the
claim of every due sequence and the batch of procrastinate jobs, committed together. The
due-time checks and the runs happen later, in the workers, one job per touch.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from sales_agent.bench.report import machine_summary, update_section
from sales_agent.jobs.sequences import run_due

__all__ = ["TARGET_SECONDS", "SequencesBenchResult", "run_sequences_bench", "sequences_report"]

TARGET_SECONDS = 2.0
"""Finding and queueing what is due among 10,000 active sequences."""
_NOW = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
_CLEAR = (
    "TRUNCATE sequences",
    "DELETE FROM procrastinate_jobs WHERE task_name = 'sequences.touch'",
)
# One in `every` is due a minute ago; the rest later this week. Distinct addresses (one live
# sequence per lead) at a few hundred companies.
_SEED = """
INSERT INTO sequences (contact_email, gmail_thread_id, origin_thread_id, max_touches,
                       cadence_days, last_touch_at, next_due_at, status)
SELECT 'lead' || i || '@company' || (i %% 397) || '.example', 'thr-bench-' || i,
       'manual:bench-' || i, 3, '{3,5,7}', %(now)s - interval '3 days',
       CASE WHEN i %% %(every)s = 0 THEN %(now)s - interval '1 minute'
            ELSE %(now)s + interval '1 hour' * (1 + i %% 100) END,
       'active'
FROM generate_series(1, %(count)s) AS i
"""


@dataclass(frozen=True)
class SequencesBenchResult:
    """Seconds per `run_due` call, per run, for each share of due sequences."""

    sequences: int
    runs: int
    seconds: dict[int, list[float]]
    """Due sequences -> the seconds each run took to find and queue them."""

    def median(self, due: int) -> float:
        """The median over the runs for `due` due sequences."""
        return statistics.median(self.seconds[due])

    @property
    def meets_target(self) -> bool:
        """Every workload under the target."""
        return all(self.median(due) < TARGET_SECONDS for due in self.seconds)


def _clear(conn: Connection[DictRow]) -> None:
    for statement in _CLEAR:
        conn.execute(statement)


def _seed(conn: Connection[DictRow], *, count: int, every: int) -> None:
    _clear(conn)
    conn.execute(_SEED, {"now": _NOW, "every": every, "count": count})
    conn.execute("ANALYZE sequences")


def run_sequences_bench(
    pool: ConnectionPool[Connection[DictRow]], *, sequences: int, runs: int
) -> SequencesBenchResult:
    """Time `run_due` over `sequences` active sequences: 10% of them due, then all of them."""
    seconds: dict[int, list[float]] = {}
    for every in (10, 1):
        due = sequences // every
        seconds[due] = []
        for _ in range(runs):
            with pool.connection() as conn:
                _seed(conn, count=sequences, every=every)
            started = time.perf_counter()
            claimed = run_due(pool, now=_NOW)
            seconds[due].append(time.perf_counter() - started)
            if len(claimed) != due:
                raise RuntimeError(f"run_due queued {len(claimed)} touches, {due} were due")
    with pool.connection() as conn:
        _clear(conn)
    return SequencesBenchResult(sequences=sequences, runs=runs, seconds=seconds)


def sequences_report(result: SequencesBenchResult, *, command: str, report: Path) -> None:
    """Write the sequences' section of the benchmarks report."""
    verdict = "met" if result.meets_target else "**missed**"
    rows = "\n".join(
        f"| {due:,} of {result.sequences:,} | {result.median(due):.3f} | "
        f"{', '.join(f'{s:.3f}' for s in result.seconds[due])} |"
        for due in sorted(result.seconds)
    )
    update_section(
        report,
        "sequences",
        f"""## Sequences: finding and queueing due touches

Target: under {TARGET_SECONDS:g} s to find and queue what is due among 10,000 active
sequences: {verdict}.

- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC
- Machine: {machine_summary()}, embedded Postgres
- Command: `{command}`
- Workload: {result.sequences:,} active sequences seeded afresh before each run (a few
  hundred companies, due times spread over the week); `run_due` claims every due one and
  queues `sequences.touch` jobs of 100 touches each, in one transaction. The due-time
  checks (suppression, the Gmail thread, the calendar) and the runs come later, in the workers.

| due | median s | each run, s |
| --- | --- | --- |
{rows}
""",
    )
