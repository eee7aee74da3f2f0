"""StoryPitchTargetingAgent's rules: who may be pitched a story, in what order, and who not.

Pure and deterministic (the facts are gathered by `nodes/story_target.py`): a contact is
skipped for the first rule it breaks, each skip with its reason; the rest are ranked by a
0-1 score of segment fit, engagement, recency of the last touch and earlier stories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sales_agent.domain.story import (
    EngagementFacts,
    RankedContact,
    SegmentFit,
    SkippedContact,
    SkipReason,
    StoryCampaign,
    StoryContact,
)
from sales_agent.policy.segments import Segment, in_segment, segment_fit

__all__ = [
    "RECENT_STORY",
    "RECENT_TOUCH",
    "WEIGHTS",
    "Targeting",
    "rank_contacts",
    "rank_score",
]

RECENT_TOUCH = timedelta(days=7)
"""Nobody touched this recently is pitched: they just heard from us."""
RECENT_STORY = timedelta(days=14)
"""Nobody pitched any story this recently is pitched again (the story quota's window)."""
WEIGHTS = {"fit": 0.5, "engagement": 0.25, "recency": 0.15, "novelty": 0.10}
"""How the rank score weighs its parts; they sum to 1, so the score stays within 0-1."""


@dataclass(frozen=True)
class Targeting:
    """Who is pitched (best first) and who is not, with why."""

    ranked: tuple[RankedContact, ...]
    skipped: tuple[SkippedContact, ...]


def _policy_skip(facts: EngagementFacts, now: datetime) -> tuple[SkipReason, str] | None:
    """The first rule the contact breaks, or None."""
    if facts.suppressed is not None:
        return SkipReason.SUPPRESSED, f"suppressed ({facts.suppressed})"
    if facts.guardrail_block is not None:
        return SkipReason.GUARDRAIL, f"blocked by guardrails: {facts.guardrail_block}"
    if facts.pitched_this_story:
        return SkipReason.ALREADY_PITCHED, "already pitched this story"
    if facts.open_followup:
        return SkipReason.OPEN_FOLLOWUP, "a follow-up draft awaits approval"
    if facts.sequence is not None:
        return SkipReason.IN_SEQUENCE, f"in a live follow-up sequence ({facts.sequence})"
    if facts.last_story_at is not None and now - facts.last_story_at < RECENT_STORY:
        days = (now - facts.last_story_at).days
        return SkipReason.RECENT_STORY, f"pitched a story {days} day(s) ago (14-day rule)"
    if facts.last_touch is not None and facts.last_touch > now:
        # A send booked for its window counts from the moment it goes out.
        when = f"{facts.last_touch.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        return SkipReason.RECENTLY_TOUCHED, f"a send to them is booked for {when} (7-day rule)"
    if facts.last_touch is not None and now - facts.last_touch < RECENT_TOUCH:
        days = (now - facts.last_touch).days
        return SkipReason.RECENTLY_TOUCHED, f"last touched {days} day(s) ago (7-day rule)"
    return None


# CRM stages that mean a live conversation: they count as much as a meeting.
_ENGAGED_STAGES = frozenset({"salesqualifiedlead", "opportunity", "customer"})


def _engagement(facts: EngagementFacts) -> float:
    crm = 0.35 if facts.crm_stage in _ENGAGED_STAGES else 0.0
    return min(1.0, 0.15 * facts.replies + 0.35 * facts.meetings + crm)


def _recency(facts: EngagementFacts, now: datetime) -> tuple[float, str]:
    """A warm contact (touched 1-4 weeks ago) ranks above a cold one or a stranger."""
    if facts.last_touch is None:
        return 0.3, "never touched"
    days = (now - facts.last_touch).days
    score = 1.0 if days <= 30 else 0.7 if days <= 90 else 0.5 if days <= 365 else 0.3
    return score, f"last touched {days} days ago"


def rank_score(fit: float, facts: EngagementFacts, now: datetime) -> float:
    """The 0-1 rank of a contact for a story (see `WEIGHTS`)."""
    score = (
        WEIGHTS["fit"] * fit
        + WEIGHTS["engagement"] * _engagement(facts)
        + WEIGHTS["recency"] * _recency(facts, now)[0]
        + WEIGHTS["novelty"] / (1 + facts.stories_pitched)
    )
    return round(score, 4)


def _reason(fit_reasons: Sequence[str], fit: float, facts: EngagementFacts, now: datetime) -> str:
    stories = (
        "no earlier story"
        if not facts.stories_pitched
        else f"{facts.stories_pitched} earlier stor{'y' if facts.stories_pitched == 1 else 'ies'}"
    )
    stage = f", CRM stage {facts.crm_stage}" if facts.crm_stage else ""
    return (
        f"fit {fit:.2f} ({'; '.join(fit_reasons)}); {facts.replies} repl"
        f"{'y' if facts.replies == 1 else 'ies'}, {facts.meetings} meeting"
        f"{'' if facts.meetings == 1 else 's'}{stage}; {_recency(facts, now)[1]}; {stories}"
    )


def rank_contacts(
    candidates: Sequence[tuple[StoryContact, EngagementFacts]],
    *,
    story: StoryCampaign,
    segment: Segment,
    now: datetime,
    limit: int,
    capacity: int | None = None,
    capacity_reason: str = "",
) -> Targeting:
    """Skip whoever breaks a rule or is out of the segment; rank the rest; keep the top.

    `limit` is what the operator asked for; `capacity` what the quotas leave (None: no cap).
    A contact past the cut is skipped as QUOTA when the quotas made the cut, else OVER_LIMIT.
    """
    skipped: list[SkippedContact] = []
    eligible: list[tuple[float, str, StoryContact, SegmentFit, EngagementFacts]] = []
    for contact, facts in candidates:
        if (rule := _policy_skip(facts, now)) is not None:
            skipped.append(SkippedContact(email=contact.email, reason=rule[0], detail=rule[1]))
            continue
        fit = segment_fit(contact, story)
        inside, why = in_segment(contact, fit, segment)
        if not inside:
            skipped.append(
                SkippedContact(email=contact.email, reason=SkipReason.OUT_OF_SEGMENT, detail=why)
            )
            continue
        eligible.append((rank_score(fit.fit, facts, now), contact.email, contact, fit, facts))
    eligible.sort(key=lambda row: (-row[0], row[1]))
    cut = limit if capacity is None else min(limit, capacity)
    ranked = tuple(
        RankedContact(
            contact=contact,
            fit=fit,
            engagement=facts,
            rank_score=score,
            reason=_reason(fit.reasons, fit.fit, facts, now),
        )
        for score, _, contact, fit, facts in eligible[:cut]
    )
    for position, (_, email, *_rest) in enumerate(eligible[cut:], start=cut + 1):
        by_quota = capacity is not None and capacity < limit and position <= limit
        # Built without re-validation: thousands of these at scale, every value ours.
        skipped.append(
            SkippedContact.model_construct(
                email=email,
                reason=SkipReason.QUOTA if by_quota else SkipReason.OVER_LIMIT,
                detail=capacity_reason if by_quota else f"ranked {position}, past the limit",
            )
        )
    return Targeting(ranked=ranked, skipped=tuple(skipped))
