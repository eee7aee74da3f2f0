"""The inbox's 30-day chart and a draft's email events, in headless Chromium on a live server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from live_server import live_server, operator_key
from sales_agent.db.email_events import record_email_event
from sales_agent.domain import Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import compile_followup, forget_followup_thread, start
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services

pytestmark = pytest.mark.slow

THREAD = f"gmail:{SEED_LEAD_THREAD_ID}"


@pytest.fixture(scope="module")
def server(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(services, tmp_path_factory.mktemp("events-page")) as url:
        yield url


@pytest.fixture
def draft_with_events(services: Services) -> str:
    """The seed lead's draft, with a send two days ago and a reply yesterday."""
    assert services.sandbox_url is not None
    httpx.post(f"{services.sandbox_url}/_sandbox/reset", timeout=10).raise_for_status()
    forget_followup_thread(services, THREAD)
    now = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
    result = start(
        compile_followup(services),
        Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID),
        FollowupContext(now=now),
    )
    draft_id = result.state.draft_record_id
    assert draft_id is not None
    # The chart shows the wall clock's last 30 days: the events are placed relative to it.
    today = datetime.now(UTC)
    with services.pool.connection() as conn:
        for kind, ago in (("sent", 2), ("replied", 1)):
            record_email_event(
                conn,
                event_key=f"{kind}:browser-test",
                kind=kind,  # type: ignore[arg-type]
                occurred_at=today - timedelta(days=ago),
                source="gmail",
                draft_id=draft_id,
                thread_id=THREAD,
                contact_email=SEED_LEAD_EMAIL,
            )
    return draft_id


def test_the_chart_and_the_drafts_events_show(
    page: Page, server: str, services: Services, draft_with_events: str
) -> None:
    page.goto(f"{server}/inbox?thread={THREAD}")
    page.get_by_label("API key").fill(operator_key(services))
    page.get_by_role("button", name="Sign in").click()

    stats = page.locator("#email-stats")
    expect(stats).to_be_visible()
    expect(stats.locator("svg g.day")).to_have_count(30)
    expect(page.locator("#email-totals")).to_contain_text("1 sent, 1 replied, 0 bounced")

    events = page.locator("#event-list li")
    expect(events).to_have_count(2)
    expect(events.nth(0)).to_contain_text("Sent")
    expect(events.nth(1)).to_contain_text("Replied")
    expect(page.locator("#events-empty")).to_be_hidden()
