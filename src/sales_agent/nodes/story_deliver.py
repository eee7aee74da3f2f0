"""Delivery of approved pitches, through the guarded send path every send takes.

DRAFT_ONLY keeps the approved Gmail drafts for the operator to send. SEND_ALLOWED sends each
approved (or edited) pitch only after `send_refusal` re-checked the mode, the kill switch and
suppression and reserved a story send (20 a day, 1 per contact per 14 days, 50 per execution,
and the global quotas) in one transaction; the send is keyed per story and contact. A pitch
the quotas refuse keeps its draft and says why.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.config import Mode
from sales_agent.db.side_effects import run_once
from sales_agent.db.stories import update_pitch
from sales_agent.domain.story import Pitch, StoryCampaign
from sales_agent.errors import ConnectorError
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.story_state import StoryState
from sales_agent.nodes._send_guard import send_refusal
from sales_agent.nodes._story_pitch import pitch_key
from sales_agent.policy.audit import record_event
from sales_agent.policy.mode import current_mode
from sales_agent.policy.quotas import mark_sent, release
from sales_agent.services import Services, ServicesProvider

__all__ = ["deliver_pitches"]


def _send(
    svc: Services, story: StoryCampaign, pitch: Pitch, execution_id: str, runtime: Runtime[Any]
) -> Pitch:
    now = run_clock(runtime)
    key = pitch_key(story.id, pitch.email, "gmail_send")
    refusal = send_refusal(
        svc,
        email=pitch.email,
        key=key,
        kind="story",
        thread_id=execution_id,
        story_id=story.id,
        execution_id=execution_id,
        now=now,
    )
    if refusal is not None:
        return pitch.model_copy(update={"outcome_reason": f"not sent: {refusal}"})
    assert pitch.gmail_draft_id is not None
    draft_id, gmail = pitch.gmail_draft_id, svc.connectors.gmail
    try:
        result = run_once(
            svc.pool,
            key=key,
            kind="gmail_send",
            thread_id=execution_id,
            call=lambda: {"message_id": gmail.send_draft(draft_id)},
        )
    except ConnectorError as exc:
        with svc.pool.connection() as conn:
            release(conn, idempotency_key=key, now=now)
        return pitch.model_copy(update={"outcome_reason": f"Gmail refused the send: {exc}"})
    with svc.pool.connection() as conn:
        mark_sent(conn, idempotency_key=key, now=now)
    return pitch.model_copy(
        update={
            "status": "sent",
            "sent_message_id": str(result["message_id"]),
            "outcome_reason": "sent",
        }
    )


def deliver_pitches(
    state: StoryState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Keep (DRAFT_ONLY) or send (SEND_ALLOWED, each re-checked) every approved pitch."""
    svc, story = services(), state.story
    assert story is not None
    with svc.pool.connection() as conn:
        if current_mode(conn) is Mode.DRAFT_ONLY:
            return {}  # the approved drafts wait in Gmail for the operator
    execution_id = current_thread_id(runtime)
    delivered = [
        _send(svc, story, pitch, execution_id, runtime)
        for pitch in state.pitches
        if pitch.status in ("approved", "edited")
    ]
    with svc.pool.connection() as conn:
        for pitch in delivered:
            assert pitch.status is not None
            update_pitch(
                conn,
                story_id=story.id,
                email=pitch.email,
                status=pitch.status,
                sent_message_id=pitch.sent_message_id,
                outcome_reason=pitch.outcome_reason,
            )
            if pitch.status == "sent":
                record_event(
                    conn,
                    actor=run_context(runtime).actor,
                    action="story_pitch_sent",
                    thread_id=execution_id,
                    contact_email=pitch.email,
                    reason=pitch.outcome_reason,
                    metadata={"story_id": story.id, "message_id": pitch.sent_message_id},
                )
    return {"pitches": delivered}
