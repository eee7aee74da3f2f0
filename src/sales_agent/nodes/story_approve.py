"""The bulk approval of a story's pitches: one interrupt for all, one decision per pitch.

The resume is a `BulkDecision`: a default (approve or reject) and per-contact decisions
(approve, edit with a new subject or body, reject with a reason). An edit meets the gate
again: one that fails is blocked (its Gmail draft stays for the operator, never sent); one
that passes updates the Gmail draft in place. A rejection deletes the Gmail draft.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from sales_agent.db.stories import update_pitch
from sales_agent.domain import GateStatus
from sales_agent.domain.story import BulkDecision, Pitch, PitchDecision, StoryCampaign
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.story_state import StoryState
from sales_agent.nodes._gmail_reply import delete_gmail_draft
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.nodes._story_pitch import pitch_gate_context, pitch_reply
from sales_agent.policy.audit import record_event
from sales_agent.policy.quality import evaluate_draft
from sales_agent.services import Services, ServicesProvider

__all__ = ["APPROVAL_ACTION", "approve_pitches", "bulk_interrupt"]

APPROVAL_ACTION = "approve_story_pitches"


def _name(pitch: Pitch) -> str:
    contact = pitch.target.contact
    return " ".join(n for n in (contact.first_name, contact.last_name) if n)


def bulk_interrupt(story: StoryCampaign, pitches: list[Pitch], execution_id: str) -> dict[str, Any]:
    """The interrupt's payload, in the Agent Inbox `HumanInterrupt` shape."""
    rows = [
        {
            "email": p.email,
            "name": _name(p),
            "company": p.target.contact.company_name,
            "subject": p.draft.subject,
            "body": p.draft.body,
            "rank_score": p.target.rank_score,
            "reason": p.target.reason,
            "gate": p.gate.status.value if p.gate else None,
            "gmail_draft_id": p.gmail_draft_id,
        }
        for p in pitches
    ]
    lines = "\n".join(f"- **{r['email']}** ({r['rank_score']:.2f}): {r['subject']}" for r in rows)
    return {
        "action_request": {
            "action": APPROVAL_ACTION,
            "args": {"story_id": story.id, "execution_id": execution_id, "pitches": rows},
        },
        "config": {
            "allow_accept": True,
            "allow_edit": True,
            "allow_respond": False,
            "allow_ignore": True,
        },
        "description": (
            f"### Story: {story.name}\n\n{len(rows)} pitch(es) await approval. Resume with "
            '`{"default": "approve"|"reject", "decisions": {EMAIL: {"type": '
            '"approve"|"edit"|"reject", ...}}}`.\n\n' + lines
        ),
    }


def _edit(
    svc: Services,
    story: StoryCampaign,
    pitch: Pitch,
    decision: PitchDecision,
    execution_id: str,
    now: datetime,
) -> Pitch:
    draft = pitch.draft.model_copy(
        update={
            "subject": decision.subject or pitch.draft.subject,
            "body": decision.body or pitch.draft.body,
        }
    )
    gate = evaluate_draft(draft, pitch_gate_context(svc, pitch.target.contact, now))
    if gate.status is GateStatus.FAIL:
        reason = f"the edit failed the gate: {gate.reason}"
        return pitch.model_copy(
            update={"draft": draft, "gate": gate, "status": "blocked", "outcome_reason": reason}
        )
    assert pitch.gmail_draft_id is not None
    # Replacing a draft's content with the same value is idempotent: no ledger entry needed.
    svc.connectors.gmail.update_draft(
        pitch.gmail_draft_id,
        pitch_reply(
            svc.settings,
            story_id=story.id,
            contact=pitch.target.contact,
            draft=draft,
            execution_id=execution_id,
            now=now,
        ),
    )
    return pitch.model_copy(
        update={"draft": draft, "gate": gate, "status": "edited", "outcome_reason": "edited"}
    )


def _decide(
    svc: Services,
    story: StoryCampaign,
    pitch: Pitch,
    decision: PitchDecision,
    execution_id: str,
    now: datetime,
) -> Pitch:
    if decision.type == "approve":
        return pitch.model_copy(update={"status": "approved", "outcome_reason": "approved"})
    if decision.type == "edit":
        return _edit(svc, story, pitch, decision, execution_id, now)
    if pitch.gmail_draft_id is not None:
        delete_gmail_draft(svc.connectors.gmail, pitch.gmail_draft_id)
    why = f"rejected: {decision.reason}" if decision.reason else "rejected by the operator"
    return pitch.model_copy(update={"status": "rejected", "outcome_reason": why})


def approve_pitches(
    state: StoryState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Ask once for every pending pitch; apply each decision."""
    svc, story = services(), state.story
    assert story is not None
    execution_id = current_thread_id(runtime)
    pending = [p for p in state.pitches if p.status == "pending_approval"]
    if not pending:
        return {}
    decision = BulkDecision.model_validate(interrupt(bulk_interrupt(story, pending, execution_id)))
    if (stop := stopped_by_kill_switch(svc)) is not None:
        return {"outcome": "blocked", "outcome_reason": stop["outcome_reason"]}
    decided = [
        _decide(
            svc, story, pitch, decision.for_email(pitch.email), execution_id, run_clock(runtime)
        )
        for pitch in pending
    ]
    with svc.pool.connection() as conn:
        for pitch in decided:
            assert pitch.status is not None
            update_pitch(
                conn,
                story_id=story.id,
                email=pitch.email,
                status=pitch.status,
                subject=pitch.draft.subject,
                body=pitch.draft.body,
                outcome_reason=pitch.outcome_reason,
            )
            record_event(
                conn,
                actor=run_context(runtime).actor,
                action=f"story_pitch_{pitch.status}",
                thread_id=execution_id,
                contact_email=pitch.email,
                company_id=pitch.target.contact.company_id,
                reason=pitch.outcome_reason,
                metadata={"story_id": story.id},
            )
    return {"pitches": decided}
