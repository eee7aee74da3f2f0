"""The indexing benchmark at a small scale: a full sync costs a few calls, not one a message."""

from __future__ import annotations

from pathlib import Path

from sales_agent.bench.indexing import indexing_report, run_indexing_bench
from sales_agent.services import Services


def test_a_full_sync_fetches_in_batches(services: Services, tmp_path: Path) -> None:
    result = run_indexing_bench(services, runs=1, api_latency_ms=0)
    assert result.messages > 400
    # Profile, listing, a batch per 50 messages (each call inside it counted too): about
    # 1.02 calls per message, where one get per message alone would already be 1 + listing.
    batches = -(-result.messages // 50)
    assert result.api_calls == 1 + 1 + batches + result.messages
    report = tmp_path / "BENCHMARKS.md"
    indexing_report(result, command="bench index", report=report)
    assert "<!-- bench:indexing -->" in report.read_text()
