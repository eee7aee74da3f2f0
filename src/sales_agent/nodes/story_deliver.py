"""Delivery of approved pitches: DRAFT_ONLY keeps them; SEND_ALLOWED books each a send window.

The follow-ups' scheduled-send path, reused: each approved (or edited) pitch is checked now
(mode, kill switch, suppression, the unsubscribe link's key: a pitch that could not go now is
not booked) and booked in the contact's next send window (`nodes/_schedule_send.py`), which
reserves its story send for that moment (20 a day, 1 per contact per 14 days, 50 per
execution, plus the global quotas) in the booking's transaction. The send job
(`jobs/scheduled_sends.py`) re-checks everything, the quotas counted afresh, when the window
opens. Keys are per story and contact, so a rerun books nothing twice. A pitch not booked
keeps its Gmail draft and says why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.config import Mode
from sales_agent.db.stories import update_pitch
from sales_agent.domain.send_window import NoSendWindowError
from sales_agent.domain.story import Pitch, StoryCampaign
from sales_agent.errors import ConfigError
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.story_state import StoryState
from sales_agent.nodes._schedule_send import schedule_send
from sales_agent.nodes._send_guard import send_blocked
from sales_agent.nodes._story_pitch import pitch_identity, pitch_key
from sales_agent.policy.audit import record_event
from sales_agent.policy.mode import current_mode
from sales_agent.policy.quotas import QuotaExceeded
from sales_agent.policy.unsubscribe import signing_keys
from sales_agent.services import Services, ServicesProvider

__all__ = ["deliver_pitches"]


def _book(
    svc: Services, story: StoryCampaign, pitch: Pitch, execution_id: str, now: datetime
) -> tuple[datetime | None, str]:
    """Book the pitch's send: the moment and why, or None and why not."""
    with svc.pool.connection() as conn:
        blocked = send_blocked(conn, email=pitch.email, now=now)
    if blocked is not None:
        return None, f"not sent: {blocked}"
    assert pitch.gmail_draft_id is not None
    gmail_thread_id = svc.connectors.gmail.get_draft(pitch.gmail_draft_id).message.thread_id
    try:
        send_at = schedule_send(
            svc,
            key=pitch_key(story.id, pitch.email, "gmail_send"),
            draft_id=None,
            thread_id=execution_id,
            identity=pitch_identity(pitch.target.contact),
            gmail_draft_id=pitch.gmail_draft_id,
            draft_key=pitch_key(story.id, pitch.email, "gmail_draft"),
            gmail_thread_id=gmail_thread_id,
            earliest=now,
            story_id=story.id,
        )
    except QuotaExceeded as exc:
        return None, f"not sent: {exc.message}"
    except NoSendWindowError as exc:
        return None, f"not sent: {exc}"
    return send_at, f"scheduled to send at {send_at.isoformat()}"


def deliver_pitches(
    state: StoryState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Keep (DRAFT_ONLY) or book the send (SEND_ALLOWED) of every approved pitch."""
    svc, story = services(), state.story
    assert story is not None
    with svc.pool.connection() as conn:
        if current_mode(conn) is Mode.DRAFT_ONLY:
            return {}  # the approved drafts wait in Gmail for the operator
    execution_id, now = current_thread_id(runtime), run_clock(runtime)
    approved = [p for p in state.pitches if p.status in ("approved", "edited")]
    booked: list[tuple[Pitch, datetime | None, str]]
    try:
        signing_keys(svc.settings)  # no pitch goes out without its unsubscribe link
    except ConfigError as exc:
        booked = [(p, None, f"not sent: {exc.message}") for p in approved]
    else:
        booked = [(p, *_book(svc, story, p, execution_id, now)) for p in approved]
    with svc.pool.connection() as conn:
        for pitch, send_at, reason in booked:
            update_pitch(
                conn, story_id=story.id, email=pitch.email, status=None, outcome_reason=reason
            )
            if send_at is not None:
                record_event(
                    conn,
                    actor=run_context(runtime).actor,
                    action="story_pitch_scheduled",
                    thread_id=execution_id,
                    contact_email=pitch.email,
                    company_id=pitch.target.contact.company_id,
                    reason=reason,
                    metadata={"story_id": story.id, "send_at": send_at.isoformat()},
                )
    return {"pitches": [p.model_copy(update={"outcome_reason": r}) for p, _, r in booked]}
