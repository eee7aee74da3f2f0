"""The webhook and throughput benchmarks at a small scale: real processes, sane figures."""

from __future__ import annotations

from pathlib import Path

from sales_agent.bench.throughput import run_throughput_bench, throughput_report
from sales_agent.bench.webhooks import run_webhooks_bench, webhooks_report
from sales_agent.services import Services


def test_a_small_webhooks_bench_measures_acknowledgements(
    services: Services, tmp_path: Path
) -> None:
    result = run_webhooks_bench(services, deliveries=20, runs=2, api_latency_ms=50)
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms
    # The request makes no API call: acknowledging is faster than one sandbox round trip.
    assert result.p50_ms < 50
    with services.pool.connection() as conn:
        jobs = conn.execute(
            "SELECT task_name, count(*) AS n FROM procrastinate_jobs "
            "WHERE task_name LIKE 'webhooks.%%' GROUP BY task_name ORDER BY task_name"
        ).fetchall()
    # 20 warm-up and 2 x 20 deliveries in turn: a quarter of them Gmail pushes.
    assert jobs == [
        {"task_name": "webhooks.gmail", "n": 15},
        {"task_name": "webhooks.hubspot", "n": 45},
    ]
    report = tmp_path / "BENCHMARKS.md"
    webhooks_report(result, command="bench webhooks", report=report)
    text = report.read_text()
    assert "<!-- bench:webhooks -->" in text and f"| p99 | {result.p99_ms} |" in text


def test_a_small_throughput_bench_brings_every_lead_to_approval(
    services: Services, tmp_path: Path
) -> None:
    result = run_throughput_bench(services, leads=6, runs=1, workers=1, concurrency=2)
    assert result.leads_per_second > 0 and result.seconds > 0
    with services.pool.connection() as conn:
        rows = conn.execute(
            "SELECT status, count(*) AS n FROM runs WHERE thread_id LIKE 'form:bench-r0-%%' "
            "GROUP BY status"
        ).fetchall()
    assert rows == [{"status": "interrupted", "n": 6}]
    report = tmp_path / "BENCHMARKS.md"
    throughput_report(result, command="bench throughput", report=report)
    assert "leads/s" in report.read_text()
