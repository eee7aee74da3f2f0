"""Guardrail rules stored in Postgres: add, update, remove (each audited), load the active."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.domain import ResolvedIdentity
from sales_agent.policy.audit import AuditError
from sales_agent.policy.guardrails import (
    GuardrailError,
    RuleType,
    add_rule,
    is_allowed,
    list_rules,
    load_active_rules,
    remove_rule,
    update_rule,
)

if TYPE_CHECKING:
    from conftest import AuditTail

BRIGHTWATER = ResolvedIdentity(
    email="lead@brightwaterhealth.example",
    company_id="2003",
    company_name="Brightwater Health",
    industry="Healthcare",
    stage="Series C",
    employees=420,
)


@pytest.fixture
def conn(conn: Connection[DictRow]) -> Connection[DictRow]:
    conn.execute("DELETE FROM guardrail_rules")
    return conn


def test_add_update_remove_are_stored_and_audited(
    conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    stages = add_rule(
        conn,
        rule_type="allowed_company_stage",
        value=["Series A", "Series B"],
        actor="dana",
        reason="focus on early-stage",
        description="ICP",
    )
    assert stages.id is not None
    assert (stages.rule_type, stages.value, stages.active) == (
        RuleType.ALLOWED_COMPANY_STAGE,
        ["Series A", "Series B"],
        True,
    )
    assert is_allowed(BRIGHTWATER, load_active_rules(conn)) == (
        False,
        "Brightwater Health is Series C; allowed stages are Series A, Series B",
    )

    widened = update_rule(
        conn,
        rule_id=stages.id,
        value=["Series A", "Series B", "Series C"],
        actor="tomas",
        reason="Series C is in scope now",
    )
    assert widened.description == "ICP"  # unchanged fields stay
    assert is_allowed(BRIGHTWATER, load_active_rules(conn)) == (True, "the 1 guardrail passes")

    paused = update_rule(conn, rule_id=stages.id, active=False, actor="tomas", reason="pause")
    assert paused.value == widened.value
    assert load_active_rules(conn) == []
    assert list_rules(conn) == [paused]

    removed = remove_rule(conn, rule_id=stages.id, actor="dana", reason="not needed")
    assert removed == paused
    assert list_rules(conn) == []

    events = audit_tail.events()
    assert [(e["action"], e["actor"], e["reason"]) for e in events] == [
        ("guardrail_added", "dana", "focus on early-stage"),
        ("guardrail_updated", "tomas", "Series C is in scope now"),
        ("guardrail_updated", "tomas", "pause"),
        ("guardrail_removed", "dana", "not needed"),
    ]
    assert events[0]["metadata"]["rule_type"] == "ALLOWED_COMPANY_STAGE"
    assert events[1]["metadata"]["to"]["value"] == ["Series A", "Series B", "Series C"]
    assert events[3]["metadata"]["id"] == stages.id


def test_invalid_values_store_nothing(conn: Connection[DictRow], audit_tail: AuditTail) -> None:
    with pytest.raises(GuardrailError, match="min 900 is above max 10"):
        add_rule(
            conn,
            rule_type=RuleType.EMPLOYEE_RANGE,
            value={"min": 900, "max": 10},
            actor="dana",
            reason="size",
        )
    with pytest.raises(GuardrailError, match="unknown guardrail type 'REGION'"):
        add_rule(conn, rule_type="REGION", value=["UK"], actor="dana", reason="x")
    with pytest.raises(AuditError, match="needs a reason"):
        add_rule(conn, rule_type="ALLOWED_INDUSTRY", value=["Retail"], actor="dana", reason="")
    assert list_rules(conn) == []
    assert audit_tail.events() == []


def test_an_update_is_checked_against_the_rules_type(conn: Connection[DictRow]) -> None:
    rule = add_rule(
        conn, rule_type="EXCLUDED_COMPANY_IDS", value=[2003], actor="dana", reason="churned"
    )
    assert rule.id is not None and rule.value == ["2003"]
    with pytest.raises(GuardrailError, match="EXCLUDED_COMPANY_IDS needs a non-empty JSON list"):
        update_rule(conn, rule_id=rule.id, value={"min": 1}, actor="dana", reason="oops")
    assert list_rules(conn) == [rule]


def test_missing_rules_are_named(conn: Connection[DictRow]) -> None:
    with pytest.raises(GuardrailError, match="there is no guardrail rule 999999"):
        update_rule(conn, rule_id=999999, active=False, actor="dana", reason="x")
    with pytest.raises(GuardrailError, match="there is no guardrail rule 999999"):
        remove_rule(conn, rule_id=999999, actor="dana", reason="x")
