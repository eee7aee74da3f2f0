"""Ranking and skipping contacts for a story: every skip has its reason, scores stay in 0-1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sales_agent.domain.story import EngagementFacts, SkipReason, StoryCampaign, StoryContact
from sales_agent.policy.segments import Segment, parse_segment
from sales_agent.policy.story_targeting import rank_contacts

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
STORY = StoryCampaign(
    id="s1",
    name="Dispatch",
    key_message="We cut dispatch time by a third.",
    cta="Worth a call?",
    target_persona="buyer",
    target_industry="Logistics",
    created_at=NOW,
    updated_at=NOW,
)


def contact(name: str, title: str = "COO", industry: str = "Logistics") -> StoryContact:
    return StoryContact(
        email=f"{name}@x.example", job_title=title, industry=industry, employees=200
    )


def days_ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def test_each_rule_skips_with_its_reason_and_the_rest_rank_best_first() -> None:
    candidates = [
        (contact("suppressed"), EngagementFacts(suppressed="OPT_OUT")),
        (contact("guarded"), EngagementFacts(guardrail_block="industry not allowed")),
        (contact("pitched"), EngagementFacts(pitched_this_story=True)),
        (contact("waiting"), EngagementFacts(open_followup=True)),
        (contact("looped"), EngagementFacts(sequence="sequence 7, active, 1 of 3 follow-ups sent")),
        (contact("storied"), EngagementFacts(last_story_at=days_ago(10), stories_pitched=1)),
        (contact("touched"), EngagementFacts(last_touch=days_ago(3))),
        (contact("outsider", title="Data Engineer"), EngagementFacts()),
        (contact("cold"), EngagementFacts()),
        (contact("warm"), EngagementFacts(replies=3, meetings=1, last_touch=days_ago(20))),
        (contact("related", industry="Retail"), EngagementFacts()),
    ]
    result = rank_contacts(
        candidates,
        story=STORY,
        segment=parse_segment("persona=buyer"),
        now=NOW,
        limit=10,
    )
    reasons = {skip.email.split("@")[0]: skip.reason for skip in result.skipped}
    assert reasons == {
        "suppressed": SkipReason.SUPPRESSED,
        "guarded": SkipReason.GUARDRAIL,
        "pitched": SkipReason.ALREADY_PITCHED,
        "waiting": SkipReason.OPEN_FOLLOWUP,
        "looped": SkipReason.IN_SEQUENCE,
        "storied": SkipReason.RECENT_STORY,
        "touched": SkipReason.RECENTLY_TOUCHED,
        "outsider": SkipReason.OUT_OF_SEGMENT,
    }
    assert all(skip.detail for skip in result.skipped)
    [looped] = [s for s in result.skipped if s.reason is SkipReason.IN_SEQUENCE]
    assert looped.detail == (
        "in a live follow-up sequence (sequence 7, active, 1 of 3 follow-ups sent)"
    )
    assert [r.contact.email.split("@")[0] for r in result.ranked] == ["warm", "cold", "related"]
    assert all(0 <= r.rank_score <= 1 for r in result.ranked)
    warm = result.ranked[0]
    assert "3 replies, 1 meeting" in warm.reason and "last touched 20 days ago" in warm.reason


def test_the_quota_cuts_before_the_limit_and_says_so() -> None:
    candidates = [(contact(f"c{i:02d}"), EngagementFacts()) for i in range(8)]
    result = rank_contacts(
        candidates,
        story=STORY,
        segment=Segment(),
        now=NOW,
        limit=5,
        capacity=3,
        capacity_reason="story_daily: 3 left today",
    )
    assert len(result.ranked) == 3
    by_reason = [(s.reason, s.detail) for s in result.skipped]
    assert by_reason.count((SkipReason.QUOTA, "story_daily: 3 left today")) == 2
    assert [r for r, _ in by_reason].count(SkipReason.OVER_LIMIT) == 3


def test_earlier_stories_lower_the_rank() -> None:
    fresh, storied = contact("fresh"), contact("storied")
    result = rank_contacts(
        [
            (storied, EngagementFacts(stories_pitched=2, last_story_at=days_ago(60))),
            (fresh, EngagementFacts()),
        ],
        story=STORY,
        segment=Segment(),
        now=NOW,
        limit=5,
    )
    assert [r.contact.email for r in result.ranked] == [fresh.email, storied.email]
    assert "2 earlier stories" in result.ranked[1].reason


def test_a_live_crm_stage_counts_as_engagement() -> None:
    result = rank_contacts(
        [
            (contact("lead"), EngagementFacts(crm_stage="lead")),
            (contact("opportunity"), EngagementFacts(crm_stage="opportunity")),
        ],
        story=STORY,
        segment=Segment(),
        now=NOW,
        limit=5,
    )
    assert result.ranked[0].contact.email.startswith("opportunity")
    assert "CRM stage opportunity" in result.ranked[0].reason


def test_a_send_booked_for_later_counts_as_a_touch_and_says_when() -> None:
    booked = NOW + timedelta(days=2, hours=1)
    result = rank_contacts(
        [(contact("booked"), EngagementFacts(last_touch=booked))],
        story=STORY,
        segment=Segment(),
        now=NOW,
        limit=5,
    )
    [skip] = result.skipped
    assert skip.reason is SkipReason.RECENTLY_TOUCHED
    assert skip.detail == "a send to them is booked for 2026-12-03 10:00 UTC (7-day rule)"
