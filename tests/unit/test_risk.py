import pytest

from sales_agent.config import Settings
from sales_agent.policy.gate_context import GateContext
from sales_agent.policy.risk import RISK_FACTORS, missing_weights, risk_score

WEIGHTS: dict[str, int] = Settings.model_fields["risk_weights"].get_default()


def test_the_settings_weight_every_factor() -> None:
    assert missing_weights(WEIGHTS) == []
    assert set(WEIGHTS) == set(RISK_FACTORS)


def test_a_factor_counts_once_however_often_it_occurs() -> None:
    once = risk_score(["pii_leak"], WEIGHTS)
    assert risk_score(["pii_leak", "pii_leak", "pii_leak"], WEIGHTS) == once
    assert once.score == WEIGHTS["pii_leak"]
    assert once.factors == ("pii_leak",)


def test_weights_add_up_and_factors_come_in_a_stable_order() -> None:
    result = risk_score(["tone_mismatch", "forbidden_words"], WEIGHTS)
    assert result.score == WEIGHTS["tone_mismatch"] + WEIGHTS["forbidden_words"]
    assert result.factors == ("forbidden_words", "tone_mismatch")


def test_the_score_is_capped_at_100() -> None:
    result = risk_score(RISK_FACTORS, WEIGHTS)
    assert sum(WEIGHTS.values()) > 100
    assert result.score == 100
    assert result.factors == RISK_FACTORS


def test_no_factor_no_risk_and_weights_come_from_configuration() -> None:
    assert risk_score([], WEIGHTS).score == 0
    tuned = {**WEIGHTS, "tone_mismatch": 0, "bounced_contact": 90}
    assert risk_score(["tone_mismatch"], tuned).score == 0
    assert risk_score(["bounced_contact"], tuned).score == 90


def test_a_context_refuses_weights_that_miss_a_factor() -> None:
    partial = {k: v for k, v in WEIGHTS.items() if k != "pii_leak"}
    assert missing_weights(partial) == ["pii_leak"]
    with pytest.raises(ValueError, match="pii_leak"):
        GateContext(risk_weights=partial)
