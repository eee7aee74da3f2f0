"""The feature flags change what a run does: `LONG_MEMORY_ENABLED` decides whether the
follow-up recalls memory (per lead, by rollout bucket), `STORY_PITCH_ENABLED` whether a
story-pitch run targets anyone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langgraph.store.postgres import PostgresStore

from sales_agent.domain import Trigger
from sales_agent.domain.story import StoryCampaignCreate
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.story_state import StoryInput
from sales_agent.jobs.followup_runs import FollowupGraph, RunResult, forget_followup_thread, start
from sales_agent.jobs.story_runs import run_story
from sales_agent.memory.gmail_index import index_gmail
from sales_agent.memory.operator_memory import OperatorMemory
from sales_agent.policy.flags import flag_bucket, set_flag
from sales_agent.policy.story_campaigns import create_campaign
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services

DEMO = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)


@pytest.fixture(scope="module")
def remembered(services: Services) -> Services:
    """The mailbox indexed and one operator fact about the seeded lead."""
    index_gmail(services)
    OperatorMemory(
        PostgresStore(conn=services.pool), services.settings.operator_email
    ).remember_fact(SEED_LEAD_EMAIL, "Prefers calls on Tuesday mornings.", source="operator")
    return services


def set_long_memory(services: Services, *, enabled: bool, rollout: int = 100) -> None:
    with services.pool.connection() as conn:
        set_flag(
            conn,
            name="LONG_MEMORY_ENABLED",
            enabled=enabled,
            rollout_percent=rollout,
            actor="tests",
            reason="tests",
        )


@pytest.fixture
def long_memory_restored(fresh: Services) -> Iterator[Services]:
    yield fresh
    set_long_memory(fresh, enabled=True)


def run_demo_lead(graph: FollowupGraph, services: Services, context: FollowupContext) -> RunResult:
    forget_followup_thread(services, f"gmail:{SEED_LEAD_THREAD_ID}")
    return start(graph, DEMO, context)


def test_long_memory_on_recalls_and_off_skips_with_the_reason(
    graph: FollowupGraph,
    remembered: Services,
    long_memory_restored: Services,
    context: FollowupContext,
) -> None:
    on = run_demo_lead(graph, remembered, context)
    assert on.state.memory, "with the flag on the lead's earlier mail is recalled"
    assert all(hit.contact_email == SEED_LEAD_EMAIL for hit in on.state.memory)
    assert on.state.contact_facts == ["Prefers calls on Tuesday mornings."]
    assert on.state.memory_skipped is None

    set_long_memory(remembered, enabled=False)
    off = run_demo_lead(graph, remembered, context)
    assert off.state.memory == [] and off.state.contact_facts == []
    assert "LONG_MEMORY_ENABLED is off" in (off.state.memory_skipped or "")
    assert off.state.draft is not None, "the follow-up still drafts, without memory"


def test_long_memory_rollout_is_decided_per_lead(
    graph: FollowupGraph,
    remembered: Services,
    long_memory_restored: Services,
    context: FollowupContext,
) -> None:
    bucket = flag_bucket("LONG_MEMORY_ENABLED", SEED_LEAD_EMAIL)
    set_long_memory(remembered, enabled=True, rollout=bucket)  # the lead's bucket is just out
    assert run_demo_lead(graph, remembered, context).state.memory == []
    set_long_memory(remembered, enabled=True, rollout=bucket + 1)  # and now just in
    assert run_demo_lead(graph, remembered, context).state.memory


def set_story_pitch(services: Services, *, enabled: bool) -> None:
    with services.pool.connection() as conn:
        set_flag(conn, name="STORY_PITCH_ENABLED", enabled=enabled, actor="tests", reason="tests")


def test_story_pitch_on_targets_and_writes_and_off_stops_the_graph_run(
    fresh: Services, context: FollowupContext
) -> None:
    set_story_pitch(fresh, enabled=True)
    values = StoryCampaignCreate(
        name="Flag",
        theme="dispatch planning",
        key_message="We cut a distributor's dispatch planning time by a third in ten weeks.",
        cta="Would a short call next week be useful?",
    )
    with fresh.pool.connection() as conn:
        story = create_campaign(conn, values, actor="tests", check_assets=lambda ids: None)
    request = StoryInput(story_id=story.id, limit=2, dry_run=True)

    on = run_story(fresh, request, context)
    assert on.state.outcome == "dry_run" and len(on.state.pitches) == 2

    set_story_pitch(fresh, enabled=False)
    off = run_story(fresh, request, context)
    assert off.state.outcome == "disabled" and off.state.pitches == []
    assert "admin flags set STORY_PITCH_ENABLED --enabled" in (off.state.outcome_reason or "")
