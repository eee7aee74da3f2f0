"""Guardrail rules and the pure decision `is_allowed`: which companies the agent may contact.

No I/O here, so the graph, the CLI and the golden-file test share one implementation. A rule
that needs company data the CRM does not have fails, saying so: not knowing a company's stage
is not evidence that it is allowed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from sales_agent.domain import ResolvedIdentity
from sales_agent.errors import SalesAgentError

__all__ = [
    "GuardrailError",
    "GuardrailRule",
    "RuleType",
    "RuleValue",
    "check_rule",
    "is_allowed",
    "normalize_value",
    "parse_rule_type",
]

RuleValue = list[str] | dict[str, int | None]


class RuleType(enum.StrEnum):
    """The kinds of guardrail rule (the `rule_type` column accepts exactly these)."""

    ALLOWED_COMPANY_STAGE = "ALLOWED_COMPANY_STAGE"
    ALLOWED_INDUSTRY = "ALLOWED_INDUSTRY"
    EMPLOYEE_RANGE = "EMPLOYEE_RANGE"
    EXCLUDED_COMPANY_IDS = "EXCLUDED_COMPANY_IDS"


_EXAMPLES = {
    RuleType.ALLOWED_COMPANY_STAGE: '["Series A", "Series B"]',
    RuleType.ALLOWED_INDUSTRY: '["Logistics", "Manufacturing"]',
    RuleType.EMPLOYEE_RANGE: '{"min": 50, "max": 1000}',
    RuleType.EXCLUDED_COMPANY_IDS: '["2003", "2014"]',
}


class GuardrailError(SalesAgentError):
    """A rule type or value that cannot be used, or a rule that does not exist."""

    code = "guardrail_error"


def parse_rule_type(text: str) -> RuleType:
    """The rule type named by `text` (any case), or an error listing the valid ones."""
    try:
        return RuleType(text.strip().upper())
    except ValueError:
        valid = ", ".join(RuleType)
        raise GuardrailError(f"unknown guardrail type {text!r}; use one of {valid}") from None


def _string_list(rule_type: RuleType, raw: Any) -> list[str]:
    # Company ids arrive as JSON numbers as often as strings; HubSpot ids are strings.
    allow_ints = rule_type is RuleType.EXCLUDED_COMPANY_IDS
    items = raw if isinstance(raw, list) else None
    ok = items is not None and all(
        (isinstance(item, str) and item.strip())
        or (allow_ints and isinstance(item, int) and not isinstance(item, bool))
        for item in items
    )
    if not items or not ok:
        raise GuardrailError(
            f"{rule_type} needs a non-empty JSON list of "
            f"{'ids' if allow_ints else 'names'}, e.g. {_EXAMPLES[rule_type]}; got {raw!r}"
        )
    unique: dict[str, str] = {}
    for item in items:
        text = str(item).strip()
        unique.setdefault(text.casefold(), text)
    return list(unique.values())


def _employee_range(raw: Any) -> dict[str, int | None]:
    example = _EXAMPLES[RuleType.EMPLOYEE_RANGE]
    if not isinstance(raw, dict) or not raw or set(raw) - {"min", "max"}:
        raise GuardrailError(
            f'EMPLOYEE_RANGE needs a JSON object with "min" and/or "max", e.g. {example}; '
            f"got {raw!r}"
        )
    bounds: dict[str, int | None] = {"min": raw.get("min"), "max": raw.get("max")}
    for key, bound in bounds.items():
        if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool)):
            raise GuardrailError(f'EMPLOYEE_RANGE "{key}" must be a whole number or null')
        if bound is not None and bound < 0:
            raise GuardrailError(f'EMPLOYEE_RANGE "{key}" cannot be negative; got {bound}')
    low, high = bounds["min"], bounds["max"]
    if low is None and high is None:
        raise GuardrailError(f'EMPLOYEE_RANGE needs "min" or "max" (or both), e.g. {example}')
    if low is not None and high is not None and low > high:
        raise GuardrailError(f"EMPLOYEE_RANGE min {low} is above max {high}; swap them")
    return bounds


def normalize_value(rule_type: RuleType, raw: Any) -> RuleValue:
    """The rule's value checked and tidied for its type; a GuardrailError says what is wrong."""
    if rule_type is RuleType.EMPLOYEE_RANGE:
        return _employee_range(raw)
    return _string_list(rule_type, raw)


class GuardrailRule(BaseModel):
    """One rule; only active rules take part in decisions."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    rule_type: RuleType
    value: RuleValue
    active: bool = True
    description: str = ""

    @field_validator("value", mode="before")
    @classmethod
    def _check_value(cls, raw: Any, info: ValidationInfo) -> Any:
        rule_type = info.data.get("rule_type")
        # Without a valid type pydantic already reports that error; nothing to check against.
        return raw if rule_type is None else normalize_value(rule_type, raw)


def _company(identity: ResolvedIdentity) -> str:
    return identity.company_name or identity.company_domain or identity.email


def _unknown_company(identity: ResolvedIdentity, what: str) -> str | None:
    if identity.company_id is None and identity.company_name is None:
        return f"{identity.email}'s company is not in the CRM, so its {what} is unknown"
    return None


def _check_listed(
    identity: ResolvedIdentity,
    actual: str | None,
    allowed: list[str],
    *,
    what: tuple[str, str],
    verb: str,
) -> str | None:
    singular, plural = what
    allowed_text = f"allowed {plural} are {', '.join(allowed)}"
    if actual is None:
        unknown = _unknown_company(identity, singular) or (
            f"{_company(identity)} has no {singular} in the CRM"
        )
        return f"{unknown}; {allowed_text}"
    if actual.strip().casefold() in {a.casefold() for a in allowed}:
        return None
    return f"{_company(identity)} {verb} {actual}; {allowed_text}"


def _check_stage(identity: ResolvedIdentity, value: RuleValue) -> str | None:
    assert isinstance(value, list)
    return _check_listed(identity, identity.stage, value, what=("stage", "stages"), verb="is")


def _check_industry(identity: ResolvedIdentity, value: RuleValue) -> str | None:
    assert isinstance(value, list)
    what = ("industry", "industries")
    return _check_listed(identity, identity.industry, value, what=what, verb="is in")


def _range_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low:,} to {high:,} employees"
    return f"at least {low:,} employees" if low is not None else f"at most {high:,} employees"


def _check_employees(identity: ResolvedIdentity, value: RuleValue) -> str | None:
    assert isinstance(value, dict)
    low, high = value.get("min"), value.get("max")
    allowed = _range_text(low, high)
    count = identity.employees
    if count is None:
        unknown = _unknown_company(identity, "size") or (
            f"{_company(identity)} has no employee count in the CRM"
        )
        return f"{unknown}; allowed is {allowed}"
    if (low is not None and count < low) or (high is not None and count > high):
        return f"{_company(identity)} has {count:,} employees; allowed is {allowed}"
    return None


def _check_excluded(identity: ResolvedIdentity, value: RuleValue) -> str | None:
    assert isinstance(value, list)
    # A company the CRM does not know cannot be on a list of CRM company ids.
    if identity.company_id is not None and identity.company_id in value:
        return f"{_company(identity)} (company {identity.company_id}) is on the excluded list"
    return None


_CHECKS: dict[RuleType, Callable[[ResolvedIdentity, RuleValue], str | None]] = {
    RuleType.ALLOWED_COMPANY_STAGE: _check_stage,
    RuleType.ALLOWED_INDUSTRY: _check_industry,
    RuleType.EMPLOYEE_RANGE: _check_employees,
    RuleType.EXCLUDED_COMPANY_IDS: _check_excluded,
}


def check_rule(identity: ResolvedIdentity, rule: GuardrailRule) -> str | None:
    """Why `rule` refuses this contact, or None when it passes (active or not)."""
    return _CHECKS[rule.rule_type](identity, rule.value)


def is_allowed(identity: ResolvedIdentity, rules: Sequence[GuardrailRule]) -> tuple[bool, str]:
    """Whether the contact is allowed (only when every active rule passes), and why.

    The reason names each failing rule, or says how many rules passed.
    """
    active = [rule for rule in rules if rule.active]
    failures = [reason for rule in active if (reason := check_rule(identity, rule)) is not None]
    if failures:
        return False, "; ".join(failures)
    if not active:
        return True, "no active guardrails"
    if len(active) == 1:
        return True, "the 1 guardrail passes"
    return True, f"all {len(active)} guardrails pass"
