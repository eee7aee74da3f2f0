"""Approval beyond accept: respond, supersede, handled, expiry, the revision loop, delivery."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta

import pytest

from lead_thread import inbound
from sales_agent.config import Mode
from sales_agent.domain import Outcome, Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import (
    FollowupGraph,
    compile_followup,
    expire_pending_approvals,
    resume,
    start,
)
from sales_agent.policy.mode import set_kill_switch, set_mode
from sales_agent.policy.suppression import suppress
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services

GMAIL = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)
THREAD = f"gmail:{SEED_LEAD_THREAD_ID}"


def drafts_in_thread(services: Services) -> list[str]:
    thread = services.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    return [m.id for m in thread.messages if m.is_draft]


def statuses(services: Services) -> list[tuple[int, str]]:
    with services.pool.connection() as conn:
        rows = conn.execute(
            "SELECT revision, status FROM drafts WHERE thread_id = %s ORDER BY revision", (THREAD,)
        ).fetchall()
    return [(row["revision"], row["status"]) for row in rows]


def test_respond_rewrites_regates_and_asks_again_with_the_same_gmail_draft(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    waiting = start(graph, GMAIL, context)
    first_id = waiting.state.gmail_draft_id
    again = resume(graph, THREAD, [{"type": "response", "args": "Make it shorter"}], context)
    assert again.interrupts, "a new approval is asked"
    assert again.state.revision_notes == ["Operator: Make it shorter"]
    assert again.state.gmail_draft_id == first_id and len(drafts_in_thread(fresh)) == 1
    placed = fresh.connectors.gmail.get_draft(str(first_id))
    assert placed.message.body_text.strip() == again.state.draft.body.strip()  # type: ignore[union-attr]
    done = resume(graph, THREAD, {"decisions": [{"type": "approve"}]}, context)
    assert done.state.outcome is Outcome.APPROVED


def test_a_newer_message_supersedes_the_pending_draft(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    waiting = start(graph, GMAIL, context)
    assert start(graph, GMAIL, context).state.draft_version == 1  # a redelivery changes nothing
    inbound(fresh, SEED_LEAD_EMAIL, "Sorry, one more thing: what does it cost?")
    newer = start(graph, GMAIL, context)
    assert newer.interrupts and newer.state.draft_version == 2
    assert newer.state.thread is not None and newer.state.thread.intent == "pricing_question"
    assert newer.state.gmail_draft_id != waiting.state.gmail_draft_id
    assert len(drafts_in_thread(fresh)) == 1  # the old one was deleted
    assert statuses(fresh) == [(1, "superseded"), (2, "pending_approval")]


def test_an_operator_reply_from_gmail_closes_the_waiting_thread(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    start(graph, GMAIL, context)
    inbound(fresh, fresh.settings.operator_email, "Answered this one myself.")
    closed = start(graph, GMAIL, context)
    assert not closed.interrupts and closed.state.outcome is Outcome.HANDLED
    assert drafts_in_thread(fresh) == [] and statuses(fresh) == [(1, "handled")]


def test_pending_approvals_expire_after_the_window(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    start(graph, GMAIL, context)
    ttl = timedelta(hours=fresh.settings.approval_ttl_hours)
    assert expire_pending_approvals(fresh, graph, context, now=context.now + ttl / 2) == []
    later = context.now + ttl + timedelta(hours=1)  # type: ignore[operator]
    assert expire_pending_approvals(fresh, graph, context, now=later) == [THREAD]
    assert drafts_in_thread(fresh) == [] and statuses(fresh) == [(1, "expired")]


def test_a_draft_that_keeps_failing_the_gate_is_revised_twice_then_rejected(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    # The operator's own sign-off on the forbidden list: no revision can pass.
    strict = dataclasses.replace(
        fresh,
        voice=fresh.voice.model_copy(
            update={"forbidden_words": (*fresh.voice.forbidden_words, fresh.voice.sign_off)}
        ),
    )
    done = start(compile_followup(strict), GMAIL, context)
    assert done.state.outcome is Outcome.REJECTED and done.state.revisions == 2
    assert done.state.outcome_reason is not None
    assert done.state.outcome_reason.startswith("rejected after 2 revision(s)")
    assert done.state.revision_notes and drafts_in_thread(fresh) == []


@pytest.fixture
def send_allowed(fresh: Services) -> Iterator[Services]:
    with fresh.pool.connection() as conn:
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="test", reason="delivery test")
    yield fresh
    with fresh.pool.connection() as conn:
        set_mode(conn, mode=Mode.DRAFT_ONLY, actor="test", reason="test over")
        set_kill_switch(conn, engaged=False, actor="test", reason="test over")


def test_draft_only_keeps_the_approved_draft_and_sends_nothing(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    start(graph, GMAIL, context)
    done = resume(graph, THREAD, {"decisions": [{"type": "approve"}]}, context)
    assert done.state.outcome is Outcome.APPROVED and done.state.sent_message_id is None
    assert len(drafts_in_thread(fresh)) == 1


def test_send_allowed_rechecks_suppression_at_delivery(
    graph: FollowupGraph, send_allowed: Services, context: FollowupContext
) -> None:
    start(graph, GMAIL, context)
    with send_allowed.pool.connection() as conn:
        suppress(conn, value=SEED_LEAD_EMAIL, kind="email", reason="MANUAL", actor="test")
    done = resume(graph, THREAD, {"decisions": [{"type": "approve"}]}, context)
    assert done.state.outcome is Outcome.APPROVED and done.state.sent_message_id is None
    assert "not sent" in (done.state.outcome_reason or "") and "suppressed" in (
        done.state.outcome_reason or ""
    )
    assert len(drafts_in_thread(send_allowed)) == 1
