"""The story benchmark runs small and writes its own section of the report."""

from __future__ import annotations

from pathlib import Path

from sales_agent.bench.story import generated_contacts, run_story_bench, story_report


def test_generated_contacts_are_the_same_for_the_same_seed() -> None:
    assert generated_contacts(50) == generated_contacts(50)
    assert generated_contacts(50, seed=1) != generated_contacts(50)


def test_a_small_run_ranks_writes_and_reports(tmp_path: Path) -> None:
    result = run_story_bench(contacts=500, pitches=10, runs=1)
    assert (result.contacts, result.pitches, result.runs) == (500, 10, 1)
    assert result.rank_seconds > 0 and result.write_seconds > 0
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n")
    story_report(result, command="sales-agent bench story", report=report)
    text = report.read_text()
    assert "<!-- bench:story -->" in text and "| rank 500 contacts |" in text
