"""Gmail indexing at scale: a full sync of the sandbox mailbox, timed, with its API calls.

Each run drops the `memory_messages` index, its embedding backlog and its cursor, then runs
a full sync with every sandbox call delayed by `api_latency_ms` (a real API's round trip)
and counts the calls it made from the sandbox's request log; then it drains the backlog the
sync stored, timed on its own (the model's pace, not the mailbox's). Before batching, a full
sync cost one call per message, so its time grew with the mailbox times the round trip.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from sales_agent.bench.report import machine_summary, update_section
from sales_agent.bench.sandbox_calls import api_latency, call_count
from sales_agent.memory.embedding_backlog import BACKLOG_TABLE, embed_backlog
from sales_agent.memory.gmail_index import sync_gmail
from sales_agent.memory.vector_index import MEMORY_MESSAGES, drop_index
from sales_agent.services import Services

__all__ = ["IndexingBenchResult", "indexing_report", "run_indexing_bench"]

_FORGET = ("DELETE FROM gmail_sync_cursors", f"DELETE FROM {BACKLOG_TABLE}")


@dataclass(frozen=True)
class IndexingBenchResult:
    """Medians over the runs."""

    runs: int
    messages: int
    api_latency_ms: int
    seconds: float
    messages_per_second: float
    api_calls: int
    embed_seconds: float
    embedded_per_second: float
    embeddings: str


def run_indexing_bench(
    services: Services, *, runs: int, api_latency_ms: int
) -> IndexingBenchResult:
    """`runs` full syncs from an empty index; medians of their time and calls."""
    seconds: list[float] = []
    embedding: list[float] = []
    calls: list[int] = []
    messages = 0
    for _ in range(runs):
        drop_index(services.pool, MEMORY_MESSAGES)
        with services.pool.connection() as conn:
            for statement in _FORGET:
                conn.execute(statement)
        with api_latency(services, api_latency_ms):
            before = call_count(services)
            started = time.perf_counter()
            stats = sync_gmail(services, full=True)
            seconds.append(time.perf_counter() - started)
            calls.append(call_count(services) - before)
        embedding.append(embed_backlog(services).seconds)
        messages = stats.fetched
    median = statistics.median(seconds)
    embed_median = statistics.median(embedding)
    return IndexingBenchResult(
        runs=runs,
        messages=messages,
        api_latency_ms=api_latency_ms,
        seconds=round(median, 2),
        messages_per_second=round(messages / median, 1),
        api_calls=int(statistics.median(calls)),
        embed_seconds=round(embed_median, 2),
        embedded_per_second=round(messages / embed_median, 1) if embed_median else 0.0,
        embeddings=services.embedding_spec.describe(),
    )


def indexing_report(result: IndexingBenchResult, *, command: str, report: Path) -> None:
    """Rewrite the indexing section of the benchmarks report."""
    update_section(
        report,
        "indexing",
        f"""
## Gmail indexing: a full sync

`{command}` on {machine_summary()}; embedded Postgres, in-process sandbox, embeddings
{result.embeddings}; every sandbox call waits {result.api_latency_ms} ms first. Each run
drops the index and syncs the whole mailbox (listed, fetched, stored in the embedding
backlog), then embeds the backlog; medians of {result.runs} runs.

| measure | result |
|---|---|
| messages indexed | {result.messages} |
| full sync | {result.seconds} s |
| throughput | {result.messages_per_second} messages/s |
| API calls (a batch counts once, and so does each call inside it) | {result.api_calls} |
| embedding the backlog | {result.embed_seconds} s, {result.embedded_per_second} messages/s |
""",
    )
