"""The inbox's campaign view in headless Chromium: bulk approval of story pitches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from live_server import live_server, operator_key
from sales_agent.domain.story import StoryCampaignCreate
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.story_state import StoryInput
from sales_agent.jobs.story_runs import StoryRun, run_story
from sales_agent.policy.flags import set_flag
from sales_agent.policy.story_campaigns import create_campaign
from sales_agent.services import Services

pytestmark = pytest.mark.slow

EDITED = "Hi there,\n\nA short note on dispatch planning.\n\nWould a call help?\n\nDana"


@pytest.fixture(scope="module")
def server(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with services.pool.connection() as conn:
        set_flag(conn, name="STORY_PITCH_ENABLED", enabled=True, actor="tests", reason="tests")
    with live_server(services, tmp_path_factory.mktemp("campaign-view")) as url:
        yield url


def waiting_story(services: Services, name: str) -> StoryRun:
    values = StoryCampaignCreate(
        name=name,
        key_message="We cut a distributor's dispatch planning time by a third in ten weeks.",
        cta="Would a short call next week be useful?",
    )
    with services.pool.connection() as conn:
        story = create_campaign(conn, values, actor="tests", check_assets=lambda ids: None)
    now = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    run = run_story(
        services, StoryInput(story_id=story.id, limit=3, dry_run=False), FollowupContext(now=now)
    )
    assert len(run.interrupts) == 1
    return run


def statuses(services: Services, story_id: str) -> dict[str, dict[str, Any]]:
    with services.pool.connection() as conn:
        rows = conn.execute("SELECT * FROM story_pitches WHERE story_id = %s", (story_id,))
        return {row["contact_email"]: row for row in rows}


def sign_in(page: Page, server: str, services: Services) -> None:
    page.goto(f"{server}/inbox")
    page.get_by_label("API key").fill(operator_key(services))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#campaigns")).to_be_visible()


def test_keep_edit_and_untick_decide_each_pitch(
    page: Page, server: str, services: Services
) -> None:
    run = waiting_story(services, "Campaign view: some")
    sign_in(page, server, services)
    campaign = page.locator(f'.campaign[data-story-id="{run.state.story_id}"]')
    expect(campaign.locator("li.pitch")).to_have_count(3)
    first, second, third = (p.email for p in run.state.pitches)
    campaign.get_by_label(f"Pitch to {first}", exact=True).fill(EDITED)
    campaign.get_by_label(f"Keep the pitch to {second}").uncheck()
    campaign.get_by_role("button", name="Apply my choices").click()
    expect(page.locator("#campaign-notice")).to_have_text(re.compile("^Decided the pitches"))
    expect(campaign).to_have_count(0)  # nothing of it awaits approval any more
    rows = statuses(services, run.state.story_id)
    assert (rows[first]["status"], rows[first]["body"]) == ("edited", EDITED)
    assert rows[second]["status"] == "rejected"
    assert rows[third]["status"] == "approved"


def test_approve_all(page: Page, server: str, services: Services) -> None:
    run = waiting_story(services, "Campaign view: all")
    sign_in(page, server, services)
    campaign = page.locator(f'.campaign[data-story-id="{run.state.story_id}"]')
    expect(campaign.locator("li.pitch")).to_have_count(3)
    campaign.get_by_role("button", name="Approve all").click()
    expect(campaign).to_have_count(0)
    assert {row["status"] for row in statuses(services, run.state.story_id).values()} == {
        "approved"
    }


def test_while_stories_are_off_the_view_says_how_to_turn_them_on(
    page: Page, server: str, services: Services
) -> None:
    with services.pool.connection() as conn:
        set_flag(conn, name="STORY_PITCH_ENABLED", enabled=False, actor="tests", reason="tests")
    try:
        sign_in(page, server, services)
        notice = page.locator("#campaign-notice")
        expect(notice).to_contain_text("admin flags set STORY_PITCH_ENABLED --enabled")
        expect(page.locator("#campaign-list > *")).to_have_count(0)
        expect(page.locator("#campaign-empty")).to_be_hidden()
    finally:
        with services.pool.connection() as conn:
            set_flag(conn, name="STORY_PITCH_ENABLED", enabled=True, actor="tests", reason="t")
