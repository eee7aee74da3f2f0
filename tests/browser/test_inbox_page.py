"""The /inbox page in a real headless Chromium against a live server and the sandbox.

Set SALES_AGENT_SCREENSHOT=docs/inbox.png to save a screenshot of a pending draft.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from psycopg.types.json import Jsonb

from live_server import live_server, operator_key
from sales_agent.domain import Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import (
    RunResult,
    compile_followup,
    forget_followup_thread,
    start,
)
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services

pytestmark = pytest.mark.slow

GMAIL = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)
THREAD = f"gmail:{SEED_LEAD_THREAD_ID}"
HOSTILE = '<img src=x onerror="document.title=\'owned\'"><script>document.title="owned"</script>'


@pytest.fixture(scope="module")
def server(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(services, tmp_path_factory.mktemp("inbox-page")) as url:
        yield url


@pytest.fixture(scope="module")
def key(services: Services) -> str:
    return operator_key(services)


def open_inbox(page: Page, url: str, key: str) -> None:
    """Open `url` (a page of the inbox) and sign in with `key` through the page's form."""
    page.goto(url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#inbox")).to_be_visible()


@pytest.fixture
def pending(services: Services) -> RunResult:
    """The seed lead's Gmail thread run afresh to its approval interrupt."""
    assert services.sandbox_url is not None
    httpx.post(f"{services.sandbox_url}/_sandbox/reset", timeout=10).raise_for_status()
    with services.pool.connection() as conn:
        conn.execute("DELETE FROM drafts")
    forget_followup_thread(services, THREAD)
    now = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    result = start(compile_followup(services), GMAIL, FollowupContext(now=now))
    assert result.interrupts and result.state.draft_record_id is not None
    return result


def row(services: Services, draft_id: str) -> dict[str, Any]:
    with services.pool.connection() as conn:
        found = conn.execute("SELECT * FROM drafts WHERE id = %s", (draft_id,)).fetchone()
    assert found is not None
    return dict(found)


def item(page: Page, draft_id: str) -> Any:
    return page.locator(f'.draft-item[data-draft-id="{draft_id}"]')


def test_the_list_renders_and_approve_moves_the_draft_out_of_pending(
    server: str, key: str, page: Page, pending: RunResult, services: Services
) -> None:
    state = pending.state
    assert state.draft is not None and state.thread is not None and state.gate is not None
    draft_id = str(state.draft_record_id)
    open_inbox(page, f"{server}/inbox", key)

    listed = item(page, draft_id)
    expect(listed).to_contain_text(SEED_LEAD_EMAIL)
    expect(listed).to_contain_text(state.draft.subject)
    expect(listed).to_contain_text(state.gate.status.value)
    listed.click()

    expect(page.locator("#draft-title")).to_have_text(f"Reply to {SEED_LEAD_EMAIL}")
    expect(page.locator("#ctx-summary")).to_have_text(state.thread.summary)
    expect(page.locator("#slot-list li")).to_have_count(len(state.slots))
    expect(page.locator("#draft-gate")).to_have_text(f"Gate {state.gate.status.value}")
    expect(page.locator("#draft-body")).to_have_value(state.draft.body)
    expect(page.locator("#gmail-link")).to_have_attribute(
        "href", f"{services.sandbox_url}/gmail/v1/users/me/drafts/{state.gmail_draft_id}"
    )
    # Selecting a draft puts its thread in the URL, which CRM notes link to.
    assert f"thread={THREAD}" in page.url.replace("%3A", ":")
    if shot := os.environ.get("SALES_AGENT_SCREENSHOT"):
        Path(shot).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shot, full_page=True)

    page.get_by_role("button", name="Approve", exact=True).click()

    expect(page.locator("#notice")).to_have_text(re.compile("^Approved"))
    expect(page.locator("#draft-status")).to_have_text("Approved")
    expect(listed).to_have_count(0)
    expect(page.locator("#list-empty")).to_be_visible()
    expect(page.get_by_role("button", name="Approve", exact=True)).to_be_hidden()
    assert row(services, draft_id)["status"] == "approved"
    # DRAFT_ONLY: the Gmail draft is still there for the operator to send.
    placed = services.connectors.gmail.get_draft(str(state.gmail_draft_id))
    assert placed.message.body_text.strip() == state.draft.body.strip()


def test_a_thread_link_opens_its_draft_and_an_edit_reaches_gmail(
    server: str, key: str, page: Page, pending: RunResult, services: Services
) -> None:
    state = pending.state
    open_inbox(page, f"{server}/inbox?thread={THREAD}", key)
    expect(page.locator("#draft-title")).to_have_text(f"Reply to {SEED_LEAD_EMAIL}")
    save = page.get_by_role("button", name="Approve with my edits")
    expect(save).to_be_disabled()

    body = "Hi Priya,\n\nHappy to walk you through the Leeds returns pilot.\n\nBest,\nSam"
    page.get_by_label("Subject").fill("Leeds returns pilot")
    page.get_by_label("Body", exact=True).fill(body)
    expect(save).to_be_enabled()
    save.click()

    expect(page.locator("#notice")).to_have_text(re.compile("^Approved with your edits"))
    expect(page.locator("#draft-status")).to_have_text("Approved with edits")
    placed = services.connectors.gmail.get_draft(str(state.gmail_draft_id))
    assert placed.message.body_text.strip() == body
    assert placed.message.subject == "Leeds returns pilot"
    assert row(services, str(state.draft_record_id))["status"] == "edited"


def test_feedback_rewrites_the_draft_which_waits_again(
    server: str, key: str, page: Page, pending: RunResult, services: Services
) -> None:
    open_inbox(page, f"{server}/inbox?thread={THREAD}", key)
    page.get_by_label("Feedback for a rewrite").fill("Make it shorter")
    page.get_by_role("button", name="Ask for a rewrite").click()

    expect(page.locator("#notice")).to_have_text(re.compile("^Rewritten with your feedback"))
    expect(page.locator("#draft-status")).to_have_text("Pending approval")
    rewritten = row(services, str(pending.state.draft_record_id))
    expect(page.locator("#draft-body")).to_have_value(rewritten["body"])
    expect(page.locator("#audit-list")).to_contain_text("draft updated")


def test_text_from_mail_is_shown_as_text_never_run(
    server: str, key: str, page: Page, pending: RunResult, services: Services
) -> None:
    with services.pool.connection() as conn:
        inserted = conn.execute(
            "INSERT INTO drafts (thread_id, status, contact_email, subject, body, gate, context)"
            " VALUES ('manual:hostile', 'pending_approval', %s, %s, %s, %s, %s) RETURNING id",
            (
                "lead@hostile.example",
                HOSTILE,
                HOSTILE,
                Jsonb({"status": "WARN", "risk_score": 1, "violations": []}),
                Jsonb(
                    {
                        "summary": HOSTILE,
                        "assets": [
                            {
                                "name": HOSTILE,
                                "url": "javascript:x()",
                                "file_id": "f",
                                "asset_type": "doc",
                            }
                        ],
                    }
                ),
            ),
        ).fetchone()
    assert inserted is not None
    open_inbox(page, f"{server}/inbox?thread=manual:hostile", key)

    expect(page.locator("#ctx-summary")).to_have_text(HOSTILE)
    expect(item(page, str(inserted["id"]))).to_contain_text(HOSTILE)
    expect(page.locator("#asset-list")).to_contain_text(HOSTILE)
    expect(page.locator("#asset-list a")).to_have_count(0)  # a javascript: link is not linked
    expect(page.locator("#draft-body")).to_have_value(HOSTILE)
    assert page.locator("main img, main script").count() == 0
    assert page.title() != "owned"


def test_a_wrong_key_is_refused_and_sign_out_returns_to_the_form(
    server: str, key: str, page: Page
) -> None:
    page.goto(f"{server}/inbox")
    page.get_by_label("API key").fill("sa_not-a-real-key")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#sign-in-error")).to_have_text("That key was not accepted.")
    expect(page.locator("#inbox")).to_be_hidden()

    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#inbox")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.reload()  # the cookie is gone: the page asks for a key again
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
