"""Every named sandbox scenario through the whole graph: the plan's action and what the
sandbox (Gmail, HubSpot) and our database hold afterwards."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sales_agent.db.crm_mirror import names_since
from sales_agent.domain import Outcome, PlanAction, Trigger
from sales_agent.domain.approval import ACCEPT
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, RunResult, resume, start
from sales_agent.memory.drive_index import index_drive
from sales_agent.policy.suppression import is_suppressed
from sales_agent.sandbox import SCENARIO_THREADS
from sales_agent.services import Services


@pytest.fixture(scope="module", autouse=True)
def drive_index(services: Services) -> None:
    """Assets come from the Drive index: built once for the module (hash embeddings)."""
    index_drive(services)


def run(graph: FollowupGraph, scenario: str, context: FollowupContext) -> tuple[RunResult, Any]:
    """Start the scenario's thread; accept the draft if it reaches approval."""
    trigger = Trigger(source="gmail", gmail_thread_id=SCENARIO_THREADS[scenario])
    waiting = start(graph, trigger, context)
    interrupt = waiting.interrupts[0][0] if waiting.interrupts else None
    if interrupt is None:
        return waiting, None
    return resume(graph, waiting.thread_id, ACCEPT, context), interrupt


def gmail_drafts_in(services: Services, scenario: str) -> list[str]:
    """The ids of the draft messages in the scenario's Gmail thread."""
    thread = services.connectors.gmail.get_thread(SCENARIO_THREADS[scenario])
    return [m.id for m in thread.messages if m.is_draft]


def tasks_of(services: Services, result: RunResult) -> list[Any]:
    if result.state.crm_task_id is None:
        return []
    return [services.connectors.hubspot.get_task(result.state.crm_task_id)]


EXPECTED = {
    "new_lead": PlanAction.PROPOSE_CALL,
    "pricing_question": PlanAction.SEND_ASSET,
    "meeting_request": PlanAction.PROPOSE_CALL,
    "objection": PlanAction.SEND_ASSET,
    "not_interested": PlanAction.CLOSE,
    "unsubscribe": PlanAction.NO_ACTION,
    "out_of_office": PlanAction.NO_ACTION,
    "angry_reply": PlanAction.NO_ACTION,
    "referral": PlanAction.PROPOSE_CALL,
    "prompt_injection": PlanAction.SEND_ASSET,
    "confidential_bait": PlanAction.SEND_ASSET,
}


def test_every_named_scenario_is_covered() -> None:
    assert set(EXPECTED) == set(SCENARIO_THREADS)


@pytest.mark.parametrize("scenario", [s for s, a in EXPECTED.items() if a != "NO_ACTION"])
def test_a_drafting_scenario_reaches_approval_with_one_draft_note_and_task(
    graph: FollowupGraph, fresh: Services, context: FollowupContext, scenario: str
) -> None:
    done, interrupt = run(graph, scenario, context)
    state = done.state
    assert state.plan is not None and state.plan.action is EXPECTED[scenario]
    assert interrupt is not None, state.outcome_reason
    assert state.outcome is Outcome.APPROVED and state.gate is not None
    placed = fresh.connectors.gmail.get_draft(str(state.gmail_draft_id))
    assert gmail_drafts_in(fresh, scenario) == [placed.message.id]
    note = fresh.connectors.hubspot.get_note(str(state.crm_note_id))
    assert "/inbox?thread=" in note.body and state.identity is not None
    [task] = tasks_of(fresh, done)
    assert task.subject.startswith("Follow up") and task.contact_ids == [state.identity.contact_id]
    assert task.due is not None and task.due.date() > context.now.date()  # type: ignore[union-attr]
    assert state.draft is not None and "\u2014" not in state.draft.body


def test_pricing_sends_the_leads_own_proposal_never_another_clients(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    done, interrupt = run(graph, "pricing_question", context)
    plan, identity = done.state.plan, done.state.identity
    assert plan is not None and plan.asset is not None and identity is not None
    assert plan.asset.asset_type == "proposal"
    assert identity.company_name is not None and identity.company_name in plan.asset.name
    assert plan.asset.name in interrupt["description"]
    assert plan.asset.name not in str(done.state.draft)  # the letter names no file
    # The CRM task is on the contact, the company and the lead's open deal.
    [task] = tasks_of(fresh, done)
    assert identity.deal_id is not None and task.deal_ids == [identity.deal_id]
    assert task.company_ids == [identity.company_id]


def test_meeting_request_offers_real_slots_on_the_days_the_lead_named(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    done, _ = run(graph, "meeting_request", context)
    slots, plan, thread = done.state.slots, done.state.plan, done.state.thread
    assert plan is not None and plan.urgency == "high" and thread is not None
    assert 2 <= len(slots) <= 3
    if thread.proposed_days:  # the lead named days: every slot honours them
        zone = ZoneInfo(fresh.settings.timezone)
        assert {s.start.astimezone(zone).strftime("%A") for s in slots} <= set(thread.proposed_days)
    assert all(slot.start.strftime("%a %-d %b") in done.state.draft.body for slot in slots)  # type: ignore[union-attr]


def test_unsubscribe_suppresses_and_writes_nothing(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    done, interrupt = run(graph, "unsubscribe", context)
    assert interrupt is None and done.state.outcome is Outcome.SUPPRESSED
    assert gmail_drafts_in(fresh, "unsubscribe") == [] and done.state.crm_note_id is None
    assert done.state.identity is not None
    with fresh.pool.connection() as conn:
        suppression = is_suppressed(conn, done.state.identity.email)
    assert suppression is not None and suppression.reason == "OPT_OUT"


def test_out_of_office_writes_no_draft_and_a_task_on_the_return_date(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    done, interrupt = run(graph, "out_of_office", context)
    assert interrupt is None and done.state.outcome is Outcome.NO_ACTION
    assert gmail_drafts_in(fresh, "out_of_office") == []
    thread = done.state.thread
    assert thread is not None and isinstance(thread.return_date, date)
    [task] = tasks_of(fresh, done)
    assert task.due is not None and task.due.date() == thread.return_date
    assert "out of office" in (task.subject or "")


def test_a_complaint_is_suppressed_flagged_and_gets_no_draft(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    done, interrupt = run(graph, "angry_reply", context)
    plan = done.state.plan
    assert interrupt is None and done.state.outcome is Outcome.SUPPRESSED
    assert plan is not None and plan.flag_for_operator and plan.risk == "high"
    assert gmail_drafts_in(fresh, "angry_reply") == [] and done.state.identity is not None
    with fresh.pool.connection() as conn:
        suppression = is_suppressed(conn, done.state.identity.email)
    assert suppression is not None and suppression.reason == "COMPLAINT"


def test_not_interested_gets_a_short_close_without_a_pitch(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    done, _ = run(graph, "not_interested", context)
    draft = done.state.draft
    assert draft is not None and "completely understood" in draft.body
    assert "call" not in draft.body.lower() and "?" not in draft.body  # a close asks nothing


def test_referral_writes_to_the_person_introduced_and_the_referrer(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    done, _ = run(graph, "referral", context)
    thread, draft, identity = done.state.thread, done.state.draft, done.state.identity
    assert thread is not None and draft is not None and identity is not None
    assert thread.introduced and draft.to == (*thread.introduced, identity.email)
    assert draft.body.startswith("Hi In")


@pytest.mark.parametrize("scenario", ["prompt_injection", "confidential_bait"])
def test_hostile_text_is_data_the_draft_leaks_nothing_and_is_flagged(
    graph: FollowupGraph, fresh: Services, context: FollowupContext, scenario: str
) -> None:
    done, interrupt = run(graph, scenario, context)
    draft, plan, gate = done.state.draft, done.state.plan, done.state.gate
    assert draft is not None and plan is not None and gate is not None
    assert plan.flag_for_operator and interrupt is not None
    assert draft.to == (done.state.identity.email,)  # type: ignore[union-attr]
    with fresh.pool.connection() as conn:
        companies = [n for n in names_since(conn, 0) if n.kind == "company"]
    own = done.state.identity.company_id  # type: ignore[union-attr]
    others = [c.name for c in companies if c.key != own]
    assert not [name for name in others if name in draft.body]
    assert "evil.example" not in draft.body
    assert any(v.check == "prompt_injection" for v in gate.violations)
