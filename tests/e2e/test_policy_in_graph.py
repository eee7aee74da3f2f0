"""Policy inside the follow-up graph: kill switch, unsubscribe, suppression, guardrails,
prompt injection; every stop is an audited outcome and nothing reaches Gmail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sales_agent.db.crm_mirror import names_since
from sales_agent.domain import GateStatus, Outcome, Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, resume, start
from sales_agent.policy.guardrails import add_rule, remove_rule
from sales_agent.policy.mode import set_kill_switch
from sales_agent.policy.suppression import (
    SuppressionReason,
    is_suppressed,
    suppress,
    unsuppress,
)
from sales_agent.sandbox import SCENARIO_THREADS, SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services

DEMO = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)


def gmail(scenario: str) -> Trigger:
    return Trigger(source="gmail", gmail_thread_id=SCENARIO_THREADS[scenario])


def drafts_in(services: Services, thread_id: str) -> int:
    thread = services.connectors.gmail.get_thread(thread_id)
    return sum(m.is_draft for m in thread.messages)


def last_outcome_event(services: Services, thread_id: str) -> dict[str, object]:
    with services.pool.connection() as conn:
        row = conn.execute(
            "SELECT action, actor, reason, contact_email FROM audit_log "
            "WHERE thread_id = %s ORDER BY id DESC LIMIT 1",
            (thread_id,),
        ).fetchone()
    assert row is not None
    return dict(row)


@pytest.fixture
def kill_switch(fresh: Services) -> Iterator[None]:
    yield
    with fresh.pool.connection() as conn:
        set_kill_switch(conn, engaged=False, actor="test", reason="test over")


def test_the_kill_switch_blocks_a_new_run_before_any_write(
    graph: FollowupGraph, fresh: Services, context: FollowupContext, kill_switch: None
) -> None:
    with fresh.pool.connection() as conn:
        set_kill_switch(conn, engaged=True, actor="admin", reason="incident")
    result = start(graph, DEMO, context)

    assert result.interrupts == ()
    assert result.state.outcome is Outcome.BLOCKED
    assert result.state.gmail_draft_id is None and result.state.crm_note_id is None
    assert drafts_in(fresh, SEED_LEAD_THREAD_ID) == 0
    event = last_outcome_event(fresh, result.thread_id)
    assert event["action"] == "outcome_blocked" and "kill switch" in str(event["reason"])


def test_the_kill_switch_stops_a_run_waiting_for_approval(
    graph: FollowupGraph, fresh: Services, context: FollowupContext, kill_switch: None
) -> None:
    waiting = start(graph, DEMO, context)
    assert waiting.state.gmail_draft_id is not None
    with fresh.pool.connection() as conn:
        set_kill_switch(conn, engaged=True, actor="admin", reason="incident")

    edit = {"decisions": [{"type": "edit", "body": "Hi Priya,\n\nFriday?\n\nDana"}]}
    done = resume(graph, waiting.thread_id, edit, context)

    assert done.state.outcome is Outcome.BLOCKED
    placed = fresh.connectors.gmail.get_draft(waiting.state.gmail_draft_id).message
    assert "Friday?" not in placed.body_text, "the Gmail draft was not touched"
    assert last_outcome_event(fresh, done.thread_id)["action"] == "outcome_blocked"


def test_an_unsubscribe_reply_suppresses_the_lead_without_a_draft(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    result = start(graph, gmail("unsubscribe"), context)

    assert result.state.outcome is Outcome.SUPPRESSED
    assert result.state.identity is not None
    email = result.state.identity.email
    with fresh.pool.connection() as conn:
        entry = is_suppressed(conn, email)
        assert entry is not None and entry.reason is SuppressionReason.OPT_OUT
        assert entry.source == f"unsubscribe_reply:{result.thread_id}"
        unsuppress(conn, value=email, actor="test", reason="clean up")
    assert drafts_in(fresh, SCENARIO_THREADS["unsubscribe"]) == 0
    assert last_outcome_event(fresh, result.thread_id)["action"] == "outcome_suppressed"


def test_a_suppressed_domain_gets_no_draft(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    domain = SEED_LEAD_EMAIL.split("@")[1]
    with fresh.pool.connection() as conn:
        suppress(conn, value=domain, kind="domain", reason=SuppressionReason.COMPLAINT, actor="t")
    try:
        result = start(graph, DEMO, context)
    finally:
        with fresh.pool.connection() as conn:
            unsuppress(conn, value=domain, actor="test", reason="clean up")
    assert result.state.outcome is Outcome.BLOCKED
    assert "domain suppressed" in (result.state.outcome_reason or "")
    assert drafts_in(fresh, SEED_LEAD_THREAD_ID) == 0


def test_a_guardrail_excluding_the_company_blocks_the_run(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    with fresh.pool.connection() as conn:
        rule = add_rule(
            conn,
            rule_type="EXCLUDED_COMPANY_IDS",
            value=["2001"],
            actor="admin",
            reason="existing partner",
        )
    try:
        result = start(graph, DEMO, context)
    finally:
        with fresh.pool.connection() as conn:
            remove_rule(conn, rule_id=rule.id, actor="admin", reason="test over")
    assert result.state.outcome is Outcome.BLOCKED
    assert "Northwind Logistics" in (result.state.outcome_reason or "")
    assert drafts_in(fresh, SEED_LEAD_THREAD_ID) == 0


def test_a_prompt_injection_is_shown_to_the_operator_never_obeyed(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    result = start(graph, gmail("prompt_injection"), context)

    assert result.state.thread is not None and result.state.thread.injection_findings
    gate = result.state.gate
    assert gate is not None and gate.status is GateStatus.WARN
    assert "prompt_injection" in gate.risk_factors and gate.risk_score > 0
    [request] = result.interrupts[0]
    assert "instructions aimed at the assistant" in request["description"]
    draft = result.state.draft
    assert draft is not None and len(draft.to) == 1
    assert draft.to[0] in result.state.thread.participants
    assert "evil" not in draft.body.lower()


def test_confidential_bait_leaks_no_other_client(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    result = start(graph, gmail("confidential_bait"), context)
    gate = result.state.gate
    assert gate is not None and gate.status is not GateStatus.FAIL
    assert "confidential" not in {v.check for v in gate.violations}
    assert result.state.draft is not None
    with fresh.pool.connection() as conn:
        companies = [n for n in names_since(conn, 0) if n.kind == "company"]
    own = result.state.identity.company_name  # type: ignore[union-attr]
    others = [c.name for c in companies if c.name != own]
    assert not [name for name in others if name in result.state.draft.body]
