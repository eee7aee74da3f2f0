"""The follow-up graph end to end against the sandbox over HTTP and a real Postgres."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pytest

from sales_agent.domain import GateStatus, Outcome, Trigger
from sales_agent.domain.slots import business_days_after
from sales_agent.errors import ConnectorError
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, compile_followup, resume, start
from sales_agent.sandbox import SEED_CONTACT_ID, SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services

if TYPE_CHECKING:
    from conftest import AuditTail

GMAIL = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)
PRIYA_MESSAGE_ID = "<PRN.0c2f9b7e.reply@mail.northwind-logistics.example>"


def draft_row(services: Services, thread_id: str) -> dict[str, Any]:
    with services.pool.connection() as conn:
        rows = conn.execute("SELECT * FROM drafts WHERE thread_id = %s", (thread_id,)).fetchall()
    assert len(rows) == 1
    return dict(rows[0])


def test_gmail_lead_reaches_approval_with_a_threaded_draft(
    graph: FollowupGraph, fresh: Services, context: FollowupContext, audit_tail: AuditTail
) -> None:
    result = start(graph, GMAIL, context)

    assert result.thread_id == f"gmail:{SEED_LEAD_THREAD_ID}"
    [request] = result.interrupts[0]
    assert request["action_request"]["action"] == "approve_gmail_draft"
    assert request["config"] == {
        "allow_accept": True,
        "allow_edit": True,
        "allow_respond": True,
        "allow_ignore": True,
    }
    assert "Slots offered" in request["description"]
    state = result.state
    assert state.identity is not None and state.identity.contact_id == SEED_CONTACT_ID
    assert state.draft is not None and state.draft.to == (SEED_LEAD_EMAIL,)
    assert state.gate is not None and state.gate.status is GateStatus.PASS

    # The draft sits in the lead's Gmail thread, threaded as a reply to her message.
    assert state.gmail_draft_id is not None
    placed = fresh.connectors.gmail.get_draft(state.gmail_draft_id).message
    assert placed.thread_id == SEED_LEAD_THREAD_ID
    assert placed.in_reply_to == PRIYA_MESSAGE_ID
    assert placed.references[-1] == PRIYA_MESSAGE_ID
    assert placed.subject.startswith("Re: ") and not placed.subject.startswith("Re: Re:")
    assert placed.body_text.strip() == state.draft.body.strip()
    thread = fresh.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert [m.is_draft for m in thread.messages] == [False, False, True]

    # The CRM note is on the contact; our drafts table holds the pending draft.
    assert state.crm_note_id is not None
    note = fresh.connectors.hubspot.get_note(state.crm_note_id)
    assert SEED_CONTACT_ID in note.contact_ids
    assert draft_row(fresh, result.thread_id)["status"] == "pending_approval"
    assert audit_tail.actions(thread_id=result.thread_id) == [
        "trigger_received",
        "draft_created",
    ]


def test_slots_are_free_business_hours_on_the_next_business_days(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    slots = start(graph, GMAIL, context).state.slots
    assert 2 <= len(slots) <= 3
    settings = fresh.settings
    assert context.now is not None
    days = business_days_after(context.now.date(), settings.slot_days_ahead, "GB")
    busy = fresh.connectors.calendar.free_busy(
        [settings.operator_email], context.now, slots[-1].end, settings.timezone
    )[settings.operator_email]
    for slot in slots:
        assert slot.start.date() in days
        assert (slot.end - slot.start).total_seconds() == 30 * 60
        assert not any(slot.start < b.end and b.start < slot.end for b in busy)
        assert slot.reason


def test_accept_keeps_the_draft_in_gmail_and_records_the_outcome(
    graph: FollowupGraph, fresh: Services, context: FollowupContext, audit_tail: AuditTail
) -> None:
    waiting = start(graph, GMAIL, context)
    done = resume(graph, waiting.thread_id, [{"type": "accept", "args": None}], context)

    assert done.interrupts == ()
    assert done.state.outcome is Outcome.APPROVED
    assert done.state.gmail_draft_id is not None
    assert fresh.connectors.gmail.get_draft(done.state.gmail_draft_id).id
    assert draft_row(fresh, done.thread_id)["status"] == "approved"
    actions = audit_tail.actions(thread_id=done.thread_id)
    # The approved first touch starts the lead's follow-up sequence.
    assert actions == ["trigger_received", "draft_created", "outcome_approved", "sequence_enrolled"]


def test_edit_updates_the_gmail_draft_in_place(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    waiting = start(graph, GMAIL, context)
    body = "Hi Priya,\n\nTuesday at 14:00 works on my side. Shall I send an invite?\n\nDana"
    edit = [{"type": "edit", "args": {"action": "approve_gmail_draft", "args": {"body": body}}}]
    done = resume(graph, waiting.thread_id, edit, context)

    assert done.state.outcome is Outcome.EDITED
    assert done.state.gmail_draft_id == waiting.state.gmail_draft_id
    assert done.state.gmail_draft_id is not None
    placed = fresh.connectors.gmail.get_draft(done.state.gmail_draft_id).message
    assert placed.body_text.strip() == body
    assert placed.in_reply_to == PRIYA_MESSAGE_ID
    row = draft_row(fresh, done.thread_id)
    assert (row["status"], row["body"]) == ("edited", body)


def test_reject_in_the_decisions_shape_deletes_the_gmail_draft(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    waiting = start(graph, GMAIL, context)
    done = resume(graph, waiting.thread_id, {"decisions": [{"type": "reject"}]}, context)

    assert done.state.outcome is Outcome.IGNORED
    assert waiting.state.gmail_draft_id is not None
    with pytest.raises(ConnectorError):
        fresh.connectors.gmail.get_draft(waiting.state.gmail_draft_id)
    assert draft_row(fresh, done.thread_id)["status"] == "ignored"


def test_a_bad_resume_fails_and_loses_nothing(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    waiting = start(graph, GMAIL, context)
    with pytest.raises(ValueError, match="expected a response with type"):
        resume(graph, waiting.thread_id, {"type": "send_now"}, context)
    with pytest.raises(ValueError, match="a respond needs the operator's feedback"):
        resume(graph, waiting.thread_id, [{"type": "response", "args": "  "}], context)

    still = graph.get_state({"configurable": {"thread_id": waiting.thread_id}})
    assert still.interrupts, "the approval is still pending"
    done = resume(graph, waiting.thread_id, {"decisions": [{"type": "approve"}]}, context)
    assert done.state.outcome is Outcome.APPROVED


def test_a_redelivered_trigger_never_makes_a_second_draft_or_note(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    first = start(graph, GMAIL, context)
    second = start(graph, GMAIL, context)

    assert second.thread_id == first.thread_id
    assert second.state.gmail_draft_id == first.state.gmail_draft_id
    assert second.state.crm_note_id == first.state.crm_note_id
    thread = fresh.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert sum(m.is_draft for m in thread.messages) == 1


def test_manual_trigger_starts_a_new_conversation(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    trigger = Trigger(source="manual", contact_email=SEED_LEAD_EMAIL.upper(), request_id="t1")
    result = start(graph, trigger, context)

    assert result.thread_id == f"manual:{SEED_LEAD_EMAIL}:t1"
    assert result.state.draft is not None
    assert result.state.draft.subject == "Quick idea for Northwind Logistics"
    assert result.state.gmail_draft_id is not None
    placed = fresh.connectors.gmail.get_draft(result.state.gmail_draft_id).message
    assert placed.thread_id != SEED_LEAD_THREAD_ID
    assert placed.in_reply_to is None


def test_form_trigger_quotes_the_lead_in_the_draft(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    trigger = Trigger(
        source="form",
        contact_email=SEED_LEAD_EMAIL,
        submission_id="form-sub-0001",
        message="Our main problem is late pallet returns from the Leeds site.",
    )
    result = start(graph, trigger, context)

    assert result.thread_id == "form:form-sub-0001"
    assert result.state.draft is not None
    assert "late pallet returns from the Leeds site" in result.state.draft.body
    assert result.interrupts


def test_a_draft_failing_the_gate_is_rejected_and_never_reaches_gmail(
    graph: FollowupGraph, fresh: Services, context: FollowupContext, audit_tail: AuditTail
) -> None:
    voice = fresh.voice.model_copy(update={"value_lines": ("Let us leverage our synergy.",)})
    result = start(compile_followup(dataclasses.replace(fresh, voice=voice)), GMAIL, context)

    assert result.interrupts == ()
    assert result.state.outcome is Outcome.REJECTED
    assert result.state.gate is not None and result.state.gate.status is GateStatus.FAIL
    assert "leverage" in result.state.gate.reason
    assert result.state.gmail_draft_id is None
    thread = fresh.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert not any(m.is_draft for m in thread.messages)
    assert audit_tail.actions(thread_id=result.thread_id)[-1] == "outcome_rejected"


def test_a_run_without_context_uses_the_defaults(graph: FollowupGraph, fresh: Services) -> None:
    # Studio and plain `invoke` callers may pass no context at all.
    config = {"configurable": {"thread_id": f"gmail:{SEED_LEAD_THREAD_ID}"}}
    graph.invoke({"trigger": GMAIL.model_dump()}, config)  # type: ignore[arg-type]
    snapshot = graph.get_state(config)  # type: ignore[arg-type]
    assert snapshot.interrupts
    assert len(snapshot.values["slots"]) >= 2
