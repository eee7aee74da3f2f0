"""Guardrails, pure: each rule type, value validation, and the golden file of 20 contacts."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from sales_agent.domain import ResolvedIdentity
from sales_agent.policy._guardrail_rules import (
    GuardrailError,
    GuardrailRule,
    RuleType,
    is_allowed,
    normalize_value,
    parse_rule_type,
)

REPOSITORY = Path(__file__).parents[2]
GOLDEN = json.loads((REPOSITORY / "tests/golden/guardrails.json").read_text(encoding="utf-8"))

NORTHWIND = ResolvedIdentity(
    email="priya@northwind-logistics.example",
    company_id="2001",
    company_name="Northwind Logistics",
    company_domain="northwind-logistics.example",
    industry="Logistics",
    stage="Series B",
    employees=180,
)
NO_COMPANY = ResolvedIdentity(
    email="sam@personal-mail.example", company_domain="personal-mail.example"
)


def rule(rule_type: RuleType, value: Any, *, active: bool = True) -> GuardrailRule:
    return GuardrailRule(rule_type=rule_type, value=value, active=active)


# --- one rule at a time -------------------------------------------------------------------


def test_stage_rule_allows_listed_stages_case_insensitively() -> None:
    stages = rule(RuleType.ALLOWED_COMPANY_STAGE, ["series a", "SERIES B"])
    assert is_allowed(NORTHWIND, [stages]) == (True, "the 1 guardrail passes")


def test_stage_rule_names_the_stage_and_the_allowed_ones() -> None:
    stages = rule(RuleType.ALLOWED_COMPANY_STAGE, ["Series A", "Series B"])
    brightwater = NORTHWIND.model_copy(
        update={"company_name": "Brightwater Health", "stage": "Series C"}
    )

    assert is_allowed(brightwater, [stages]) == (
        False,
        "Brightwater Health is Series C; allowed stages are Series A, Series B",
    )


def test_stage_rule_refuses_an_unknown_stage_saying_why() -> None:
    stages = rule(RuleType.ALLOWED_COMPANY_STAGE, ["Series B"])
    allowed, reason = is_allowed(NORTHWIND.model_copy(update={"stage": None}), [stages])
    assert not allowed
    assert reason == "Northwind Logistics has no stage in the CRM; allowed stages are Series B"


def test_industry_rule() -> None:
    industries = rule(RuleType.ALLOWED_INDUSTRY, ["Logistics", "Retail"])
    assert is_allowed(NORTHWIND, [industries])[0]
    energy = NORTHWIND.model_copy(update={"industry": "Energy"})
    assert is_allowed(energy, [industries]) == (
        False,
        "Northwind Logistics is in Energy; allowed industries are Logistics, Retail",
    )


@pytest.mark.parametrize(
    ("bounds", "employees", "allowed"),
    [
        ({"min": 180, "max": 180}, 180, True),  # bounds are inclusive
        ({"min": 181, "max": None}, 180, False),
        ({"min": None, "max": 179}, 180, False),
        ({"min": None, "max": 5000}, 180, True),
        ({"min": 10}, 180, True),  # a missing bound is no bound
    ],
)
def test_employee_range(bounds: dict[str, int | None], employees: int, allowed: bool) -> None:
    identity = NORTHWIND.model_copy(update={"employees": employees})
    assert is_allowed(identity, [rule(RuleType.EMPLOYEE_RANGE, bounds)])[0] is allowed


def test_employee_range_reasons() -> None:
    big = NORTHWIND.model_copy(update={"employees": 5200})
    assert is_allowed(big, [rule(RuleType.EMPLOYEE_RANGE, {"min": 50, "max": 1000})])[1] == (
        "Northwind Logistics has 5,200 employees; allowed is 50 to 1,000 employees"
    )
    assert is_allowed(big, [rule(RuleType.EMPLOYEE_RANGE, {"max": 1000})])[1].endswith(
        "allowed is at most 1,000 employees"
    )
    small = NORTHWIND.model_copy(update={"employees": 5})
    assert is_allowed(small, [rule(RuleType.EMPLOYEE_RANGE, {"min": 50})])[1].endswith(
        "allowed is at least 50 employees"
    )


def test_excluded_company_ids() -> None:
    excluded = rule(RuleType.EXCLUDED_COMPANY_IDS, ["2001", 2003])
    assert is_allowed(NORTHWIND, [excluded]) == (
        False,
        "Northwind Logistics (company 2001) is on the excluded list",
    )
    other = NORTHWIND.model_copy(update={"company_id": "2002"})
    assert is_allowed(other, [excluded])[0]
    # A company the CRM does not know has no id, so it cannot be on a list of CRM ids.
    assert is_allowed(NO_COMPANY, [excluded])[0]


def test_rules_needing_company_data_refuse_a_contact_with_no_company() -> None:
    allowed, reason = is_allowed(NO_COMPANY, [rule(RuleType.ALLOWED_INDUSTRY, ["Logistics"])])
    assert not allowed
    assert reason.startswith("sam@personal-mail.example's company is not in the CRM")


def test_every_active_rule_must_pass_and_each_failure_is_named() -> None:
    rules = [
        rule(RuleType.ALLOWED_COMPANY_STAGE, ["Series A"]),
        rule(RuleType.ALLOWED_INDUSTRY, ["Logistics"]),
        rule(RuleType.EMPLOYEE_RANGE, {"max": 100}),
    ]
    allowed, reason = is_allowed(NORTHWIND, rules)
    assert not allowed
    assert reason == (
        "Northwind Logistics is Series B; allowed stages are Series A; "
        "Northwind Logistics has 180 employees; allowed is at most 100 employees"
    )


def test_inactive_rules_do_not_decide() -> None:
    off = rule(RuleType.ALLOWED_INDUSTRY, ["SaaS"], active=False)
    on = rule(RuleType.ALLOWED_INDUSTRY, ["Logistics"])
    assert is_allowed(NORTHWIND, [off]) == (True, "no active guardrails")
    assert is_allowed(NORTHWIND, [off, on, on]) == (True, "all 2 guardrails pass")


# --- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_type", "value", "message"),
    [
        (RuleType.ALLOWED_COMPANY_STAGE, [], "needs a non-empty JSON list of names"),
        (RuleType.ALLOWED_COMPANY_STAGE, "Series A", '["Series A", "Series B"]'),
        (RuleType.ALLOWED_INDUSTRY, ["Retail", 3], "non-empty JSON list of names"),
        (RuleType.ALLOWED_INDUSTRY, ["  "], "non-empty JSON list of names"),
        (RuleType.EXCLUDED_COMPANY_IDS, [True], "list of ids"),
        (RuleType.EMPLOYEE_RANGE, [50, 100], 'needs a JSON object with "min" and/or "max"'),
        (RuleType.EMPLOYEE_RANGE, {"min": 5, "maximum": 9}, '"min" and/or "max"'),
        (RuleType.EMPLOYEE_RANGE, {"min": None, "max": None}, 'needs "min" or "max"'),
        (RuleType.EMPLOYEE_RANGE, {"min": 500, "max": 50}, "min 500 is above max 50; swap"),
        (RuleType.EMPLOYEE_RANGE, {"min": -1}, "cannot be negative"),
        (RuleType.EMPLOYEE_RANGE, {"min": "50"}, "must be a whole number"),
        (RuleType.EMPLOYEE_RANGE, {"min": 1.5}, "must be a whole number"),
    ],
)
def test_invalid_values_are_refused_with_a_clear_message(
    rule_type: RuleType, value: Any, message: str
) -> None:
    with pytest.raises(GuardrailError, match=message.replace("(", r"\(").replace("[", r"\[")):
        normalize_value(rule_type, value)
    with pytest.raises(GuardrailError):
        GuardrailRule(rule_type=rule_type, value=value)


def test_values_are_tidied() -> None:
    assert normalize_value(RuleType.ALLOWED_INDUSTRY, [" Retail", "retail", "Media"]) == [
        "Retail",
        "Media",
    ]
    assert normalize_value(RuleType.EXCLUDED_COMPANY_IDS, [2003, "2004"]) == ["2003", "2004"]
    assert normalize_value(RuleType.EMPLOYEE_RANGE, {"max": 10}) == {"min": None, "max": 10}


def test_rule_types_parse_in_any_case_and_unknown_ones_list_the_valid() -> None:
    assert parse_rule_type(" employee_range ") is RuleType.EMPLOYEE_RANGE
    with pytest.raises(GuardrailError, match="use one of ALLOWED_COMPANY_STAGE, ALLOWED_INDUSTRY"):
        parse_rule_type("COMPANY_SIZE")


# --- golden file --------------------------------------------------------------------------

GOLDEN_RULES = [GuardrailRule.model_validate(r) for r in GOLDEN["rules"]]


@pytest.mark.parametrize(
    "case", GOLDEN["contacts"], ids=[c["identity"]["email"] for c in GOLDEN["contacts"]]
)
def test_golden_decisions(case: dict[str, Any]) -> None:
    allowed, reason = is_allowed(ResolvedIdentity.model_validate(case["identity"]), GOLDEN_RULES)

    assert allowed is case["allowed"], reason
    for fragment in case["reason_contains"]:
        assert fragment in reason


def test_golden_file_is_20_contacts_with_both_decisions() -> None:
    decisions = [c["allowed"] for c in GOLDEN["contacts"]]
    assert len(decisions) == 20
    assert 5 <= decisions.count(True) <= 15


def test_golden_identities_match_the_sandbox_cast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPOSITORY))
    cast = importlib.import_module("scripts.workspace.cast").CAST
    known = {company.id: company for company in cast.companies}
    from_cast = [
        c["identity"] for c in GOLDEN["contacts"] if c["identity"].get("company_id") in known
    ]
    assert len(from_cast) == 16
    for identity in from_cast:
        company = known[identity["company_id"]]
        assert identity["email"] in {c.email for c in cast.contacts_at(company.id)}
        assert (identity["company_name"], identity["stage"]) == (
            company.name,
            company.funding_stage,
        )
        assert (identity["industry"], identity["employees"]) == (
            company.industry,
            company.employees,
        )
