"""The gate benchmark's mechanics (not its timings): statistics and its report section."""

from pathlib import Path

from sales_agent.bench.gate import gate_report, run_gate_bench
from sales_agent.bench.report import update_section

GOLDEN = Path(__file__).parents[1] / "golden" / "gate_drafts.json"


def test_the_benchmark_reports_ordered_percentiles() -> None:
    result = run_gate_bench(GOLDEN, runs=2, evaluations=100)
    assert result.drafts >= 15 and result.runs == 2 and result.evaluations == 100
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms


def test_a_section_is_replaced_and_the_others_kept(tmp_path: Path) -> None:
    report = tmp_path / "docs" / "BENCHMARKS.md"
    update_section(report, "retrieval", "## Retrieval\n\np95 40 ms")
    update_section(report, "gate", "## Quality gate\n\nfirst")
    update_section(report, "gate", "## Quality gate\n\nsecond")
    text = report.read_text()
    assert text.startswith("# Benchmarks")
    assert "## Retrieval\n\np95 40 ms" in text
    assert "second" in text and "first" not in text
    assert text.count("<!-- bench:gate -->") == 1
    assert text.index("## Retrieval") < text.index("## Quality gate")


def test_the_gate_section_names_the_command_machine_and_target(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    result = run_gate_bench(GOLDEN, runs=1, evaluations=100)
    gate_report(result, command="sales-agent bench gate", golden_path=GOLDEN, report=report)
    text = report.read_text()
    for needle in ("## Quality gate", "cores", "`sales-agent bench gate`", "p95", "5 ms", "Date:"):
        assert needle in text
