"""The follow-up benchmark at a small scale: sane figures, and it leaves no thread behind."""

from __future__ import annotations

from pathlib import Path

from sales_agent.bench.followup import followup_report, run_followup_bench
from sales_agent.services import Services


def test_a_small_followup_bench_measures_and_cleans_up(services: Services, tmp_path: Path) -> None:
    result = run_followup_bench(services, leads=5, runs=2)
    assert 0 < result.p50_ms <= result.p95_ms
    assert 0 < result.overhead < 5
    assert result.model_calls_per_draft == 3 and result.model_drafts == 5  # read, tool, submit
    with services.pool.connection() as conn:
        left = conn.execute(
            "SELECT count(*) AS n FROM checkpoints WHERE thread_id LIKE 'form:bench-%%'"
        ).fetchone()
    assert left is not None and left["n"] == 0
    report = tmp_path / "BENCHMARKS.md"
    followup_report(result, command="bench followup", report=report)
    text = report.read_text()
    assert "trigger to approval interrupt, p95" in text and "hash (feature-hash-v1" in text


def test_under_api_latency_the_gatherers_calls_overlap(services: Services, tmp_path: Path) -> None:
    result = run_followup_bench(services, leads=5, runs=1, api_latency_ms=30)
    # A form lead: the contact, company and open deal come from the CRM mirror (no call);
    # free/busy, the note, the task and the draft are calls to the APIs.
    assert result.external_calls == 4
    # Free/busy runs beside the other gatherers and the note beside the task: three in turn.
    assert result.critical_path_calls == 3
    # The delays are real: a run waits at least for the calls on its critical path. (A bound
    # on the rest of the run's own time would be a timing test: that belongs to the bench.)
    assert result.p50_ms >= result.critical_path_calls * 30
    report = tmp_path / "BENCHMARKS.md"
    followup_report(result, command="bench followup --api-latency-ms 30", report=report)
    text = report.read_text()
    assert "<!-- bench:followup-latency -->" in text and "critical path | 3 |" in text
