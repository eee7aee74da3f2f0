"""The story-pitch graph end to end against the sandbox over HTTP and a real Postgres."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from sales_agent.config import Mode
from sales_agent.domain import Trigger
from sales_agent.domain.slots import format_slot_list
from sales_agent.domain.story import StoryCampaign, StoryCampaignCreate
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.story_state import StoryInput
from sales_agent.jobs.followup_runs import FollowupGraph, forget_followup_thread, resume, start
from sales_agent.jobs.scheduled_sends import send_scheduled
from sales_agent.jobs.story_runs import resume_story, run_story
from sales_agent.policy.flags import set_flag
from sales_agent.policy.mode import set_kill_switch, set_mode
from sales_agent.policy.quotas import load_limits, quota_status, reset_quotas, update_limits
from sales_agent.policy.story_campaigns import create_campaign
from sales_agent.policy.suppression import SuppressionReason, suppress
from sales_agent.policy.unsubscribe import read_token
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services
from sales_agent.tools.submit_draft import SUBMIT_TOOL
from scripted_model import ScriptedChatModel, tool_calls

pytestmark = pytest.mark.slow

CASE_STUDY = "1IHPLjxQ3kBScMCX9E64eGS4SHo4xXQ4B"
OUR_TABLES = (
    "drafts", "story_pitches", "side_effects", "audit_log", "send_ledger", "suppressions",
    "checkpoints", "checkpoint_writes", "checkpoint_blobs", "runs", "story_campaigns",
    "scheduled_sends",
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
    # A call CTA offers 2-3 real slots from the calendar's free/busy, in every pitch.
    offered = format_slot_list(state.slots, fresh.settings.timezone)
    assert 2 <= len(state.slots) <= 3 and all(offered in p.draft.body for p in state.pitches)
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

    # Another execution of the story (a higher limit) pitches only people not pitched yet.
    wider = run_story(fresh, StoryInput(story_id=story.id, limit=6, dry_run=False), context)
    assert wider.execution_id != run.execution_id
    first = {r["email"] for r in rows}
    assert first.isdisjoint(p.email for p in wider.state.pitches)
    skipped = {s.email: s.reason for s in wider.state.skipped}
    assert {skipped[email] for email in first} == {"already_pitched"}
    placed = [p for p in wider.state.pitches if p.status == "pending_approval"]
    assert placed and counts(fresh)["story_pitches"] - after["story_pitches"] == len(placed)


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
    assert after["scheduled_sends"] == before["scheduled_sends"]  # and books no send
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


def booked_sends(services: Services, story_id: str) -> list[dict[str, Any]]:
    with services.pool.connection() as conn:
        return conn.execute(
            "SELECT key, contact_email, send_at, status, reason, draft_id FROM scheduled_sends"
            " WHERE story_id = %s ORDER BY send_at",
            (story_id,),
        ).fetchall()


def ledger(services: Services, story_id: str) -> dict[str, tuple[str, str]]:
    with services.pool.connection() as conn:
        rows = conn.execute(
            "SELECT contact_email, kind, execution_id, status FROM send_ledger WHERE story_id = %s",
            (story_id,),
        ).fetchall()
    return {r["contact_email"]: (r["kind"], r["execution_id"], r["status"]) for r in rows}


@pytest.fixture
def send_allowed(fresh: Services, context: FollowupContext) -> Iterator[Services]:
    """SEND_ALLOWED from no story or global send counted, the limits put back after."""
    with fresh.pool.connection() as conn:
        reset_quotas(conn, actor="tests", reason="tests", now=context.now)
        limits = load_limits(conn)
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="tests", reason="tests")
    yield fresh
    with fresh.pool.connection() as conn:
        set_mode(conn, mode=Mode.DRAFT_ONLY, actor="tests", reason="tests")
        changes = {"story_daily": limits.story_daily, "global_daily": limits.global_daily}
        update_limits(conn, changes=changes, actor="tests", reason="tests")


def test_send_allowed_books_send_windows_within_the_story_quota_and_the_job_sends(
    send_allowed: Services, context: FollowupContext
) -> None:
    story = new_story(send_allowed, "Send")
    run = run_story(send_allowed, StoryInput(story_id=story.id, limit=3, dry_run=False), context)
    before = counts(send_allowed)
    with send_allowed.pool.connection() as conn:
        update_limits(conn, changes={"story_daily": 2}, actor="tests", reason="tests")
    done = resume_story(send_allowed, run.execution_id, {"default": "approve"}, context)
    booked = booked_sends(send_allowed, story.id)
    assert counts(send_allowed)["gmail_sent"] == before["gmail_sent"]  # nothing goes at once
    assert len(booked) == 2 and {b["status"] for b in booked} == {"scheduled"}
    zone = ZoneInfo(send_allowed.settings.timezone)
    for row in booked:
        local = row["send_at"].astimezone(zone)
        assert row["send_at"] >= context.now and local.weekday() < 5 and 9 <= local.hour < 17
        assert row["draft_id"] is None
    [held] = [p for p in done.state.pitches if p.email not in {b["contact_email"] for b in booked}]
    assert held.outcome_reason.startswith("not sent: quota story_daily reached")
    assert all(
        p.outcome_reason.startswith("scheduled to send at ")
        for p in done.state.pitches
        if p is not held
    )
    reserved = ledger(send_allowed, story.id)  # the story quota is held from the booking
    assert set(reserved) == {b["contact_email"] for b in booked}
    assert set(reserved.values()) == {("story", run.execution_id, "reserved")}

    # The job sends each in its window, once (a redelivered job sends nothing more).
    sent = [send_scheduled(send_allowed, b["key"], now=b["send_at"]) for b in booked * 2]
    assert sent == ["sent"] * 4
    assert counts(send_allowed)["gmail_sent"] - before["gmail_sent"] == 2
    assert set(ledger(send_allowed, story.id).values()) == {("story", run.execution_id, "sent")}
    rows = pitched(send_allowed, story.id)
    assert {e: r["status"] for e, r in rows.items()} == {
        **{b["contact_email"]: "sent" for b in booked},
        held.email: "approved",
    }
    assert all(rows[b["contact_email"]]["sent_message_id"] for b in booked)


def test_the_send_job_rechecks_the_global_quota_and_gives_a_refused_booking_back(
    send_allowed: Services, context: FollowupContext
) -> None:
    story = new_story(send_allowed, "Recheck")
    run = run_story(send_allowed, StoryInput(story_id=story.id, limit=2, dry_run=False), context)
    resume_story(send_allowed, run.execution_id, {"default": "approve"}, context)
    first, second = booked_sends(send_allowed, story.id)
    with send_allowed.pool.connection() as conn:  # lowered after booking: the job must see it
        update_limits(conn, changes={"global_daily": 1}, actor="tests", reason="tests")
    # The first finds the second's reservation on the day: one send a day is all there is.
    assert send_scheduled(send_allowed, first["key"], now=first["send_at"]) == "refused"
    assert send_scheduled(send_allowed, second["key"], now=second["send_at"]) == "sent"
    [refused] = [b for b in booked_sends(send_allowed, story.id) if b["status"] == "refused"]
    assert refused["reason"].startswith("not sent: quota global_daily reached")
    assert ledger(send_allowed, story.id) == {
        first["contact_email"]: ("story", run.execution_id, "released"),
        second["contact_email"]: ("story", run.execution_id, "sent"),
    }
    rows = pitched(send_allowed, story.id)
    assert rows[first["contact_email"]]["status"] == "approved"
    assert rows[first["contact_email"]]["outcome_reason"] == refused["reason"]
    assert rows[second["contact_email"]]["status"] == "sent"


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


def test_a_lead_whose_follow_up_awaits_approval_then_in_a_sequence_is_skipped_so(
    fresh: Services, context: FollowupContext, graph: FollowupGraph
) -> None:
    story = new_story(fresh, "Busy lead")
    asked = StoryInput(story_id=story.id, limit=1, dry_run=True)
    lead = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)
    thread = f"gmail:{SEED_LEAD_THREAD_ID}"
    try:
        start(graph, lead, context)  # the follow-up's draft now awaits the operator
        waiting = {s.email: s for s in run_story(fresh, asked, context).state.skipped}
        resume(graph, thread, {"decisions": [{"type": "approve"}]}, context)  # enrols the lead
        enrolled = {s.email: s for s in run_story(fresh, asked, context).state.skipped}
    finally:
        forget_followup_thread(fresh, thread)
        with fresh.pool.connection() as conn:
            conn.execute("DELETE FROM sequences WHERE contact_email = %s", (SEED_LEAD_EMAIL,))
    assert waiting[SEED_LEAD_EMAIL].reason == "open_followup"
    assert enrolled[SEED_LEAD_EMAIL].reason == "in_sequence"
    assert enrolled[SEED_LEAD_EMAIL].detail.startswith("in a live follow-up sequence (sequence ")


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
