"""The golden drafts: every check, with the status and the checks the gate must flag."""

from pathlib import Path

import pytest

from sales_agent.bench.golden import GoldenDraft, build_case, load_golden
from sales_agent.policy.quality import evaluate_draft

GOLDEN = load_golden(Path(__file__).parents[1] / "golden" / "gate_drafts.json")
EVERY_CHECK = {
    "length",
    "cta",
    "em_dash",
    "forbidden_word",
    "tone",
    "links",
    "pii",
    "confidential",
    "recipients",
    "suppression",
    "bounced",
    "guardrails",
    "kill_switch",
    "quota",
    "prompt_injection",
}


def test_the_golden_file_covers_every_check_and_every_status() -> None:
    assert len(GOLDEN.drafts) >= 15
    assert {c for case in GOLDEN.drafts for c in case.expected_checks} == EVERY_CHECK
    assert {case.expected_status for case in GOLDEN.drafts} == {"PASS", "WARN", "FAIL"}
    assert len({case.name for case in GOLDEN.drafts}) == len(GOLDEN.drafts)


@pytest.mark.parametrize("case", GOLDEN.drafts, ids=lambda case: case.name)
def test_golden_draft(case: GoldenDraft) -> None:
    result = evaluate_draft(*build_case(GOLDEN, case))
    assert result.status == case.expected_status, result.reason
    assert sorted({v.check for v in result.violations}) == sorted(case.expected_checks)
    if case.expected_send_allowed is not None:
        assert result.send_allowed is case.expected_send_allowed
    if case.expected_risk_score is not None:
        assert result.risk_score == case.expected_risk_score
    assert result.approval_required is True
    errors = [v for v in result.violations if v.severity == "error"]
    assert len(result.suggestions) >= len({v.check for v in errors})
