"""Dataset lines, thresholds, the summary and the report, on in-memory traces."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.conftest import good_trace, with_outputs
from sales_agent.errors import SalesAgentError
from sales_agent.evals.dataset import load_cases
from sales_agent.evals.evaluators import score_trace
from sales_agent.evals.report import BEGIN, END, write_report
from sales_agent.evals.runner import ScoredCase
from sales_agent.evals.summary import summarise
from sales_agent.evals.thresholds import Bounds, Thresholds, check, load_thresholds

ROOT = Path(__file__).parents[2]


def scored(name: str, split: str, intent: str, read_as: str) -> ScoredCase:
    trace = with_outputs(good_trace(intent=intent), intent=read_as)
    trace = trace.model_copy(update={"case": name, "split": split})
    return ScoredCase(trace, score_trace(trace), f"evals/traces/run/x.jsonl:{name}")


def test_the_committed_datasets_parse_and_split() -> None:
    scenarios = load_cases(ROOT / "evals" / "datasets" / "scenarios.jsonl")
    assert len(scenarios) == 45
    assert {c.split for c in scenarios} == {"dev", "test"}
    assert len(load_cases(ROOT / "evals" / "datasets" / "scenarios.jsonl", "test")) >= 20


def test_a_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"name": "a", "inbound": {"from": "x@y.example", "subject": "s", "body": "b"},'
        ' "expect": {"intent": "grumpy"}}\n'
    )
    with pytest.raises(SalesAgentError, match=r"(?s)bad.jsonl:1: .*unknown intent 'grumpy'"):
        load_cases(path)


def test_a_line_is_a_trigger_or_an_inbound_message(tmp_path: Path) -> None:
    path = tmp_path / "both.jsonl"
    path.write_text(
        '{"name": "a", "input": {"trigger": {"source": "gmail", "gmail_thread_id": "t"}},'
        ' "inbound": {"from": "x@y.example", "subject": "s", "body": "b"}}\n'
    )
    with pytest.raises(SalesAgentError, match="exactly one of"):
        load_cases(path)


def test_recall_precision_and_the_gate() -> None:
    cases = [
        scored("u1", "test", "unsubscribe", "unsubscribe"),
        scored("u2", "test", "unsubscribe", "new_lead"),
        scored("c1", "test", "complaint", "angry_reply"),
        scored("n1", "test", "new_lead", "new_lead"),
    ]
    summary = summarise(cases)
    assert summary.recall("unsubscribe") == 0.5 and summary.precision("unsubscribe") == 1.0
    assert summary.recall("complaint") == 1.0
    assert summary.precision("new_lead") == 0.5
    assert summary.rate("expect.intent") == 0.75
    gate = Bounds(pass_rate={"expect.intent": 0.8, "hard.one_cta": 1.0}, recall={"bounce": 1.0})
    assert [str(m) for m in check(summary, gate)] == ["expect.intent: 0.750 < 0.800"]


def test_the_thresholds_file_has_a_gate_and_targets() -> None:
    thresholds = load_thresholds(ROOT / "evals" / "thresholds.toml")
    assert thresholds.targets.pass_rate["expect.intent"] == 0.95
    assert thresholds.targets.recall["unsubscribe"] == 1.0
    assert thresholds.gate.pass_rate["hard.no_em_dash"] == 1.0


def test_the_report_replaces_only_its_section(tmp_path: Path) -> None:
    report = tmp_path / "EVALS.md"
    report.write_text(f"# Evals\n\nHand-written.\n\n{BEGIN}\nold\n{END}\n\nAfter.\n")
    cases = [
        scored("u1", "test", "unsubscribe", "unsubscribe"),
        scored("d1", "dev", "complaint", "new_lead"),
    ]
    thresholds = Thresholds(targets=Bounds(recall={"complaint": 1.0}))
    write_report(cases, thresholds, report, root=tmp_path)
    text = report.read_text()
    assert text.startswith("# Evals\n\nHand-written.") and text.endswith("After.\n")
    assert "\nold\n" not in text and text.count(BEGIN) == 1
    assert "| `expect.intent` | 100.0% (1/1) | 0.0% (0/1) | 50.0% (1/2) |" in text
    assert "| recall `complaint` | - | 100.0% | - | 0.0% | 0.0% |" in text
    assert "`d1`: expected complaint, got new_lead (evals/traces/run/x.jsonl:d1)" in text
