"""The story-pitch graph end to end against the sandbox over HTTP and a real Postgres."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sales_agent.config import Mode
from sales_agent.domain.story import StoryCampaign, StoryCampaignCreate
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.story_state import StoryInput
from sales_agent.jobs.story_runs import resume_story, run_story
from sales_agent.policy.flags import set_flag
from sales_agent.policy.mode import set_kill_switch, set_mode
from sales_agent.policy.quotas import quota_status, update_limits
from sales_agent.policy.story_campaigns import create_campaign
from sales_agent.policy.suppression import SuppressionReason, suppress
from sales_agent.policy.unsubscribe import read_token
from sales_agent.services import Services
from sales_agent.tools.submit_draft import SUBMIT_TOOL
from scripted_model import ScriptedChatModel, tool_calls

pytestmark = pytest.mark.slow

CASE_STUDY = "1IHPLjxQ3kBScMCX9E64eGS4SHo4xXQ4B"
OUR_TABLES = (
    "drafts", "story_pitches", "side_effects", "audit_log", "send_ledger", "suppressions",
    "checkpoints", "checkpoint_writes", "checkpoint_blobs", "runs", "story_campaigns",
)  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def stories_on(services: Services) -> None:
    with services.pool.connection() as conn:
        set_flag(conn, name="STORY_PITCH_ENABLED", enabled=True, actor="tests", reason="tests")


@pytest.fixture
def context() -> FollowupContext:
    # Pinned within the day (the sandbox's data is dated from today, so the day is today's).
    return FollowupContext(now=datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0))


@pytest.fixture
def fresh(services: Services) -> Iterator[Services]:
    assert services.sandbox_url is not None
    httpx.post(f"{services.sandbox_url}/_sandbox/reset", timeout=10).raise_for_status()
    yield services


def new_story(services: Services, name: str, **fields: Any) -> StoryCampaign:
    values = StoryCampaignCreate(
        name=name,
        theme=fields.pop("theme", "dispatch planning"),
        key_message=fields.pop(
            "key_message", "We cut a distributor's dispatch planning time by a third in ten weeks."
        ),
        cta=fields.pop("cta", "Would a short call next week be useful?"),
        **fields,
    )
    with services.pool.connection() as conn:
        return create_campaign(conn, values, actor="tests", check_assets=lambda ids: None)


def counts(services: Services) -> dict[str, int]:
    """Rows in our tables, and the sandbox's drafts, sent mail and CRM notes."""
    assert services.sandbox_url is not None
    with services.pool.connection() as conn:
        rows = {
            table: conn.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"]  # type: ignore[index]
            for table in OUR_TABLES
        }
    base = services.sandbox_url
    drafts = httpx.get(f"{base}/gmail/v1/users/me/drafts", params={"maxResults": 500}).json()
    sent = httpx.get(
        f"{base}/gmail/v1/users/me/messages", params={"labelIds": "SENT", "maxResults": 500}
    ).json()
    notes = httpx.post(f"{base}/crm/v3/objects/notes/search", json={"limit": 1}).json()
    return {
        **rows,
        "gmail_drafts": len(drafts.get("drafts", [])),
        "gmail_sent": len(sent.get("messages", [])),
        "crm_notes": int(notes["total"]),
    }


def test_a_dry_run_previews_and_changes_nothing(fresh: Services, context: FollowupContext) -> None:
    story = new_story(fresh, "Dry run", cta_kind="call", asset_ids=(CASE_STUDY,))
    before = counts(fresh)
    run = run_story(fresh, StoryInput(story_id=story.id, limit=5, dry_run=True), context)
    assert counts(fresh) == before
    state = run.state
    assert state.outcome == "dry_run" and not run.interrupts
    assert len(state.pitches) == 5 and state.stats["created"] == 5
    assert all(p.gate is not None and p.gate.status != "FAIL" for p in state.pitches)
    assert all("case study" in p.draft.body for p in state.pitches)
    scores = [p.target.rank_score for p in state.pitches]
    assert scores == sorted(scores, reverse=True)
    assert state.stats["skipped"] == len(state.skipped) > 0
    assert all(s.detail for s in state.skipped)


def test_create_drafts_n_pitches_for_n_contacts_with_one_interrupt_and_a_rerun_adds_nothing(
    fresh: Services, context: FollowupContext
) -> None:
    story = new_story(fresh, "Create")
    before = counts(fresh)
    asked = StoryInput(story_id=story.id, limit=4, dry_run=False)
    run = run_story(fresh, asked, context)
    [interrupt] = run.interrupts
    rows = interrupt["action_request"]["args"]["pitches"]
    assert len(rows) == 4 and len({r["email"] for r in rows}) == 4
    after = counts(fresh)
    assert after["gmail_drafts"] - before["gmail_drafts"] == 4
    assert after["crm_notes"] - before["crm_notes"] == 4
    assert after["story_pitches"] - before["story_pitches"] == 4
    assert after["gmail_sent"] == before["gmail_sent"]

    again = run_story(fresh, asked, context)
    assert counts(fresh) == after
    assert again.execution_id == run.execution_id and len(again.interrupts) == 1


def pitched(services: Services, story_id: str) -> dict[str, dict[str, Any]]:
    with services.pool.connection() as conn:
        rows = conn.execute(
            "SELECT * FROM story_pitches WHERE story_id = %s", (story_id,)
        ).fetchall()
    return {row["contact_email"]: row for row in rows}


def test_bulk_approve_with_one_edit_and_one_rejection(
    fresh: Services, context: FollowupContext
) -> None:
    story = new_story(fresh, "Bulk")
    run = run_story(fresh, StoryInput(story_id=story.id, limit=4, dry_run=False), context)
    emails = [r["email"] for r in run.interrupts[0]["action_request"]["args"]["pitches"]]
    edited_body = "Hi there,\n\nA short note on dispatch planning.\n\nWould a call help?\n\nDana"
    decision = {
        "default": "approve",
        "decisions": {
            emails[0]: {"type": "edit", "body": edited_body},
            emails[1]: {"type": "reject", "reason": "a client already"},
        },
    }
    before = counts(fresh)
    done = resume_story(fresh, run.execution_id, decision, context)
    assert not done.interrupts and done.state.outcome == "done"
    rows = pitched(fresh, story.id)
    assert rows[emails[0]]["status"] == "edited" and rows[emails[0]]["body"] == edited_body
    assert rows[emails[1]]["status"] == "rejected"
    assert rows[emails[1]]["outcome_reason"] == "rejected: a client already"
    assert {rows[e]["status"] for e in emails[2:]} == {"approved"}
    after = counts(fresh)
    assert before["gmail_drafts"] - after["gmail_drafts"] == 1  # the rejected one only
    assert after["gmail_sent"] == before["gmail_sent"]  # DRAFT_ONLY keeps the drafts
    edited = fresh.connectors.gmail.get_draft(rows[emails[0]]["gmail_draft_id"]).message
    assert edited.body_text.strip() == edited_body
    for email in (emails[0], emails[2]):  # as edited, and as placed
        assert unsubscribes(fresh, rows[email]["gmail_draft_id"]) == (email, run.execution_id)


def unsubscribes(services: Services, gmail_draft_id: str) -> tuple[str, str]:
    """Whom and which run the draft's one-click unsubscribe headers (RFC 8058) name."""
    gmail = services.connectors.gmail
    raw = gmail.get_raw_message(gmail.get_draft(gmail_draft_id).message.id)
    message = message_from_bytes(raw, policy=policy.default)
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    link = urlsplit(str(message["List-Unsubscribe"]).strip("<>"))
    assert f"{link.scheme}://{link.netloc}" == services.settings.public_url.rstrip("/")
    request = read_token(services.settings, parse_qs(link.query)["token"][0])
    return request.email, request.thread_id


def test_a_suppressed_contact_is_skipped_with_its_reason(
    fresh: Services, context: FollowupContext
) -> None:
    story = new_story(fresh, "Suppressed")
    first = run_story(fresh, StoryInput(story_id=story.id, limit=1, dry_run=True), context)
    top = first.state.pitches[0].email
    with fresh.pool.connection() as conn:
        suppress(conn, value=top, kind="email", reason=SuppressionReason.OPT_OUT, actor="tests")
    again = run_story(fresh, StoryInput(story_id=story.id, limit=1, dry_run=True), context)
    assert again.state.pitches[0].email != top
    [skip] = [s for s in again.state.skipped if s.email == top]
    assert skip.reason == "suppressed" and "OPT_OUT" in skip.detail


def test_quotas_hold_when_the_limit_asks_for_more(
    fresh: Services, context: FollowupContext
) -> None:
    story = new_story(fresh, "Quota")
    with fresh.pool.connection() as conn:
        quotas = quota_status(conn, now=context.now, timezone=fresh.settings.timezone)
        used = next(q.used or 0 for q in quotas if q.quota_type == "story_daily")
        update_limits(conn, changes={"story_daily": used + 3}, actor="tests", reason="tests")
    try:
        run = run_story(fresh, StoryInput(story_id=story.id, limit=6, dry_run=False), context)
    finally:
        with fresh.pool.connection() as conn:
            update_limits(conn, changes={"story_daily": 20}, actor="tests", reason="tests")
    assert len(run.interrupts[0]["action_request"]["args"]["pitches"]) == 3
    quota = [s for s in run.state.skipped if s.reason == "quota"]
    assert len(quota) == 3 and "story_daily" in quota[0].detail


def test_send_allowed_delivers_within_the_story_quota_and_says_why_not(
    fresh: Services, context: FollowupContext
) -> None:
    story = new_story(fresh, "Send")
    run = run_story(fresh, StoryInput(story_id=story.id, limit=3, dry_run=False), context)
    before = counts(fresh)
    with fresh.pool.connection() as conn:
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="tests", reason="tests")
        update_limits(conn, changes={"story_daily": 2}, actor="tests", reason="tests")
    try:
        done = resume_story(fresh, run.execution_id, {"default": "approve"}, context)
    finally:
        with fresh.pool.connection() as conn:
            set_mode(conn, mode=Mode.DRAFT_ONLY, actor="tests", reason="tests")
            update_limits(conn, changes={"story_daily": 20}, actor="tests", reason="tests")
    statuses = sorted(p.status or "" for p in done.state.pitches)
    assert statuses == ["approved", "sent", "sent"]
    [held] = [p for p in done.state.pitches if p.status == "approved"]
    assert "quota story_daily reached" in held.outcome_reason
    after = counts(fresh)
    assert after["gmail_sent"] - before["gmail_sent"] == 2
    with fresh.pool.connection() as conn:
        ledger = conn.execute(
            "SELECT kind, story_id, execution_id, status FROM send_ledger WHERE story_id = %s",
            (story.id,),
        ).fetchall()
    assert len(ledger) == 2
    assert {(r["kind"], r["execution_id"], r["status"]) for r in ledger} == {
        ("story", run.execution_id, "sent")
    }


def test_with_a_model_the_writer_reads_with_a_tool_then_submits_and_falls_back_if_it_fails(
    fresh: Services, context: FollowupContext
) -> None:
    story = new_story(fresh, "Model")
    offline = run_story(fresh, StoryInput(story_id=story.id, limit=1, dry_run=True), context)
    contact = offline.state.pitches[0].target.contact
    voice = fresh.voice
    body = "\n\n".join(
        [
            voice.greeting.format(first_name=contact.first_name),
            voice.value_lines[0],
            voice.fallback_cta,
            f"{voice.sign_off}\n{voice.signature}",
        ]
    )
    model = ScriptedChatModel(
        script=[
            tool_calls(("find_contact", {"email": contact.email})),
            tool_calls((SUBMIT_TOOL, {"subject": "Dispatch planning", "body": body})),
        ]
    )
    with_model = dataclasses.replace(fresh, chat_model=model)
    run = run_story(with_model, StoryInput(story_id=story.id, limit=1, dry_run=True), context)
    [pitch] = run.state.pitches
    assert pitch.writer == "model" and pitch.draft.body == body
    assert pitch.draft.to == (contact.email,)
    assert "find_contact" in model.bound and "create_draft" not in model.bound
    # The story's key message reaches the model as the plan, never as data it may drop.
    assert story.key_message in str(model.seen[0][0].content)

    broken = ScriptedChatModel(script=[tool_calls((SUBMIT_TOOL, {"subject": "x", "body": "?"}))])
    fallback = run_story(
        dataclasses.replace(fresh, chat_model=broken),
        StoryInput(story_id=story.id, limit=1, dry_run=True),
        context,
    )
    [written] = fallback.state.pitches
    assert written.writer.startswith("offline fallback")
    assert written.draft == offline.state.pitches[0].draft


def test_the_kill_switch_stops_the_writes_and_the_flag_stops_the_run(
    fresh: Services, context: FollowupContext
) -> None:
    story = new_story(fresh, "Kill switch")
    before = counts(fresh)
    with fresh.pool.connection() as conn:
        set_kill_switch(conn, engaged=True, actor="tests", reason="tests")
    try:
        run = run_story(fresh, StoryInput(story_id=story.id, limit=2, dry_run=False), context)
    finally:
        with fresh.pool.connection() as conn:
            set_kill_switch(conn, engaged=False, actor="tests", reason="tests")
    assert run.state.outcome == "blocked" and not run.interrupts
    after = counts(fresh)
    assert (after["gmail_drafts"], after["crm_notes"]) == (
        before["gmail_drafts"],
        before["crm_notes"],
    )

    with fresh.pool.connection() as conn:
        set_flag(conn, name="STORY_PITCH_ENABLED", enabled=False, actor="tests", reason="tests")
    try:
        off = run_story(fresh, StoryInput(story_id=story.id, limit=2, dry_run=True), context)
    finally:
        with fresh.pool.connection() as conn:
            set_flag(conn, name="STORY_PITCH_ENABLED", enabled=True, actor="tests", reason="t")
    assert off.state.outcome == "disabled" and not off.state.pitches
    assert "admin flags set STORY_PITCH_ENABLED --enabled" in (off.state.outcome_reason or "")


def test_a_sandbox_audience_of_a_few_hundred_makes_segments_of_real_size(
    fresh: Services, context: FollowupContext
) -> None:
    assert fresh.sandbox_url is not None
    added = httpx.post(f"{fresh.sandbox_url}/_sandbox/audience", json={"contacts": 300}).json()
    assert added["contacts"] == 300 and added["companies"] == 60
    assert added["replies"] > 50 and added["sent"] > 40
    again = httpx.post(f"{fresh.sandbox_url}/_sandbox/audience", json={"contacts": 300}).json()
    assert again["contacts"] == 0  # once per workspace

    story = new_story(fresh, "Audience", target_industry="Logistics")
    with fresh.pool.connection() as conn:
        quotas = quota_status(conn, now=context.now, timezone=fresh.settings.timezone)
    left = min(q.remaining or 0 for q in quotas if q.quota_type in ("story_daily", "global_daily"))
    assert left < 50
    run = run_story(
        fresh,
        StoryInput(story_id=story.id, segment="persona=buyer|financial", limit=50, dry_run=True),
        context,
    )
    # 50 asked, at most 20 a day allowed (story_daily): the quota cuts, and says so.
    assert len(run.state.pitches) == left and run.state.stats["skipped_quota"] == 50 - left
    reasons = {s.reason.value for s in run.state.skipped}
    assert {"out_of_segment", "over_limit", "recently_touched"} <= reasons
    assert any(p.target.engagement.replies for p in run.state.pitches)
    assert run.state.stats["skipped"] > 250
