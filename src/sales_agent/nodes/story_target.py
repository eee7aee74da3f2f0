"""StoryPitchTargetingAgent: who the story goes to, best first, and who not, with why.

Reads only (the CRM, our tables, Gmail, the calendar, Drive): a dry run stops after the
writers, so nothing here may write. The cut is the operator's limit or what the story
quotas still allow (story per day, per execution, and the global day), whichever is lower.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.connectors.google_calendar import propose_from_calendar
from sales_agent.db.stories import get_campaign
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock
from sales_agent.graph.story_state import StoryState
from sales_agent.nodes._story_facts import crm_contacts, engagement_facts, stored_facts
from sales_agent.policy.flags import flag_enabled
from sales_agent.policy.quotas import quota_status
from sales_agent.policy.segments import parse_segment
from sales_agent.policy.story_campaigns import STORY_FLAG, StoryPitchDisabledError
from sales_agent.policy.story_targeting import rank_contacts
from sales_agent.services import Services, ServicesProvider

__all__ = ["story_target"]

# The quotas that cap one execution's pitches; the per-contact ones are targeting's rules.
_CAPPING = ("story_execution", "story_daily", "global_daily")


def _capacity(
    svc: Services, execution_id: str, runtime: Runtime[FollowupContext]
) -> tuple[int, str]:
    with svc.pool.connection() as conn:
        quotas = quota_status(
            conn,
            execution_id=execution_id,
            now=run_clock(runtime),
            timezone=svc.settings.timezone,
        )
    capping = [q for q in quotas if q.quota_type in _CAPPING and q.remaining is not None]
    tightest = min(capping, key=lambda q: q.remaining or 0)
    remaining = tightest.remaining or 0
    return remaining, f"quota {tightest.quota_type}: {remaining} of {tightest.limit} left"


def story_target(
    state: StoryState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Rank the CRM's contacts for the story; the slots and the asset's kind for the writers."""
    svc = services()
    now = run_clock(runtime)
    with svc.pool.connection() as conn:
        if not flag_enabled(conn, STORY_FLAG):
            return {"outcome": "disabled", "outcome_reason": StoryPitchDisabledError().message}
        story = get_campaign(conn, state.story_id)
    if story is None or not story.active:
        why = "no such story" if story is None else "the story is archived"
        return {"outcome": "archived", "outcome_reason": f"{why}: nobody is pitched"}
    segment = parse_segment(state.segment)
    contacts = crm_contacts(svc.connectors.hubspot)
    with svc.pool.connection() as conn:
        facts = stored_facts(conn, contacts, story_id=story.id, now=now)
    everyone = [(contact, facts[contact.email]) for contact in contacts]
    # First the cheap rules, then Gmail and the calendar for the contacts still in.
    first = rank_contacts(everyone, story=story, segment=segment, now=now, limit=len(contacts))
    kept = {ranked.contact.email: facts[ranked.contact.email] for ranked in first.ranked}
    enriched = engagement_facts(
        svc.connectors.gmail,
        svc.connectors.calendar,
        calendar_id=svc.settings.operator_email,
        facts=kept,
        now=now,
    )
    capacity, capacity_reason = _capacity(svc, current_thread_id(runtime), runtime)
    final = rank_contacts(
        [(ranked.contact, enriched[ranked.contact.email]) for ranked in first.ranked],
        story=story,
        segment=segment,
        now=now,
        limit=state.limit,
        capacity=capacity,
        capacity_reason=capacity_reason,
    )
    slots = (
        propose_from_calendar(
            svc.connectors.calendar, svc.settings.operator_email, now, svc.settings.slot_rules()
        )
        if story.cta_kind == "call" and final.ranked
        else []
    )
    asset_kind = (
        svc.connectors.drive.get_file(story.asset_ids[0]).asset_type.replace("_", " ")
        if story.asset_ids
        else None
    )
    return {
        "story": story,
        "targets": list(final.ranked),
        "skipped": [*first.skipped, *final.skipped],
        "slots": slots,
        "asset_kind": asset_kind,
    }
