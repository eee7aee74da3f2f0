"""Places each gated pitch: a Gmail draft and a CRM note per contact, recorded as pending.

A pitch is claimed in `story_pitches` first (unique per story and contact): a contact another
execution already pitched is skipped, never drafted twice. The Gmail draft and the note are
keyed per story and contact in the ledger, so a retried node finds them instead of making
new ones.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.db.side_effects import run_once
from sales_agent.db.stories import claim_pitch, update_pitch
from sales_agent.domain import GateStatus
from sales_agent.domain.story import Pitch, SkippedContact, SkipReason, StoryCampaign
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.story_state import StoryState
from sales_agent.nodes._effects import reference_line
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.nodes._story_pitch import pitch_key, pitch_reply
from sales_agent.policy.audit import record_event
from sales_agent.services import Services, ServicesProvider

__all__ = ["place_pitches"]


def _gmail_draft(
    svc: Services, story: StoryCampaign, pitch: Pitch, execution_id: str, now: datetime
) -> str:
    key = pitch_key(story.id, pitch.email, "gmail_draft")
    draft = pitch_reply(
        svc.settings,
        story_id=story.id,
        contact=pitch.target.contact,
        draft=pitch.draft,
        execution_id=execution_id,
        now=now,
    )
    gmail = svc.connectors.gmail
    result = run_once(
        svc.pool,
        key=key,
        kind="gmail_draft",
        thread_id=execution_id,
        call=lambda: {"draft_id": gmail.create_draft(draft)},
        recover=lambda: {"draft_id": found} if (found := gmail.find_draft_by_key(key)) else None,
    )
    return str(result["draft_id"])


def _crm_note(
    svc: Services, story: StoryCampaign, pitch: Pitch, execution_id: str, runtime: Runtime[Any]
) -> str | None:
    contact = pitch.target.contact
    contact_id = contact.contact_id
    if contact_id is None:
        return None
    key = pitch_key(story.id, pitch.email, "crm_note")
    reference = reference_line(key)
    body = (
        f"<p><strong>sales-agent prepared a story pitch</strong>: {escape(story.name)} "
        f"({escape(pitch.draft.subject)})</p><p>Why this contact: "
        f"{escape(pitch.target.reason)}</p><p>Awaiting the operator's approval.</p>"
        f"<p>{reference}</p>"
    )
    hubspot, now = svc.connectors.hubspot, run_clock(runtime)
    result = run_once(
        svc.pool,
        key=key,
        kind="crm_note",
        thread_id=execution_id,
        call=lambda: {"note_id": hubspot.create_note(body, contact_id, contact.company_id, now)},
        recover=lambda: (
            {"note_id": found}
            if (found := hubspot.find_note_containing(contact_id, reference))
            else None
        ),
    )
    return str(result["note_id"])


def place_pitches(
    state: StoryState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Claim, draft in Gmail and note in the CRM every pitch the gate let through."""
    svc = services()
    story = state.story
    assert story is not None
    execution_id, now = current_thread_id(runtime), run_clock(runtime)
    if (stop := stopped_by_kill_switch(svc)) is not None:
        return {"outcome": "blocked", "outcome_reason": stop["outcome_reason"]}
    placed: list[Pitch] = []
    taken: list[SkippedContact] = []
    for pitch in state.pitches:
        if pitch.gate is None or pitch.gate.status is GateStatus.FAIL or pitch.status:
            continue
        if (stop := stopped_by_kill_switch(svc)) is not None:
            blocked = {"outcome": "blocked", "outcome_reason": stop["outcome_reason"]}
            return {"pitches": placed, "skipped": taken, **blocked}
        with svc.pool.connection() as conn:
            mine = claim_pitch(
                conn,
                story_id=story.id,
                email=pitch.email,
                execution_id=execution_id,
                subject=pitch.draft.subject,
                body=pitch.draft.body,
                rank_score=pitch.target.rank_score,
                rank_reason=pitch.target.reason,
                gate=pitch.gate.model_dump(mode="json"),
                now=now,
            )
        if not mine:
            taken.append(
                SkippedContact(
                    email=pitch.email,
                    reason=SkipReason.ALREADY_PITCHED,
                    detail="another execution of this story pitched them first",
                )
            )
            continue
        draft_id = _gmail_draft(svc, story, pitch, execution_id, now)
        note_id = _crm_note(svc, story, pitch, execution_id, runtime)
        with svc.pool.connection() as conn:
            update_pitch(
                conn,
                story_id=story.id,
                email=pitch.email,
                status="pending_approval",
                gmail_draft_id=draft_id,
                crm_note_id=note_id,
            )
            record_event(
                conn,
                actor=run_context(runtime).actor,
                action="story_pitch_drafted",
                thread_id=execution_id,
                contact_email=pitch.email,
                company_id=pitch.target.contact.company_id,
                reason=f"gate {pitch.gate.status}; rank {pitch.target.rank_score:.2f}",
                metadata={"story_id": story.id, "gmail_draft_id": draft_id},
            )
        update = {"status": "pending_approval", "gmail_draft_id": draft_id, "crm_note_id": note_id}
        placed.append(pitch.model_copy(update=update))
    return {"pitches": placed, "skipped": taken}
