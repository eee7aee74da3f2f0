"""Scheduled sends: an approved draft in SEND_ALLOWED waits for its window, then a job sends it.

The run's clock is pinned to a Saturday; the send is booked for Monday 09:00 in the lead's
(here the operator's) time zone, and the job, run with the clock moved to that moment,
re-checks and sends it once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest

from lead_thread import inbound
from sales_agent.config import Mode
from sales_agent.domain import Outcome, Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, resume, start
from sales_agent.jobs.scheduled_sends import send_scheduled
from sales_agent.policy.mode import set_kill_switch, set_mode
from sales_agent.policy.quota_limits import update_limits
from sales_agent.policy.quotas import quota_status
from sales_agent.policy.suppression import suppress
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services
from sales_agent.triggers.gmail_changes import sync_gmail

GMAIL = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)
THREAD = f"gmail:{SEED_LEAD_THREAD_ID}"
SEND_KEY = f"{THREAD}:gmail_send:1"
SATURDAY = datetime(2026, 12, 12, 11, 0, tzinfo=UTC)
MONDAY_9 = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)  # 09:00 in London, in winter
APPROVE = {"decisions": [{"type": "approve"}]}


@pytest.fixture
def send_allowed(fresh: Services) -> Iterator[Services]:
    with fresh.pool.connection() as conn:
        conn.execute("DELETE FROM suppressions")  # an earlier test's suppression of the lead
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="test", reason="delivery test")
    yield fresh
    with fresh.pool.connection() as conn:
        set_mode(conn, mode=Mode.DRAFT_ONLY, actor="test", reason="test over")
        set_kill_switch(conn, engaged=False, actor="test", reason="test over")


@pytest.fixture
def saturday() -> FollowupContext:
    return FollowupContext(now=SATURDAY)


def sent_messages(services: Services) -> list[str]:
    thread = services.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    return [m.id for m in thread.messages if "SENT" in m.label_ids and not m.is_draft]


def booking(services: Services) -> dict[str, object]:
    with services.pool.connection() as conn:
        row = conn.execute(
            "SELECT s.status, s.send_at, j.scheduled_at, j.status AS job_status, d.status AS draft"
            " FROM scheduled_sends s JOIN procrastinate_jobs j ON j.id = s.job_id"
            " JOIN drafts d ON d.id = s.draft_id WHERE s.key = %s",
            (SEND_KEY,),
        ).fetchone()
    assert row is not None
    return dict(row)


def test_an_approved_send_waits_for_its_window_then_goes_once(
    graph: FollowupGraph, send_allowed: Services, saturday: FollowupContext
) -> None:
    before = sent_messages(send_allowed)
    start(graph, GMAIL, saturday)
    done = resume(graph, THREAD, APPROVE, saturday)

    assert done.state.outcome is Outcome.APPROVED and done.state.sent_message_id is None
    assert done.state.scheduled_send_at == MONDAY_9
    assert "scheduled to send at 2026-12-14T09:00:00+00:00" in (done.state.outcome_reason or "")
    assert sent_messages(send_allowed) == before, "nothing leaves on a Saturday"
    booked = booking(send_allowed)
    assert booked["status"] == "scheduled" and booked["draft"] == "approved"
    assert booked["scheduled_at"] == MONDAY_9 and booked["job_status"] == "todo"

    assert send_scheduled(send_allowed, SEND_KEY, now=MONDAY_9) == "sent"
    assert send_scheduled(send_allowed, SEND_KEY, now=MONDAY_9) == "sent"  # a redelivered job

    after = sent_messages(send_allowed)
    assert len(after) == len(before) + 1
    assert booking(send_allowed)["draft"] == "sent"
    with send_allowed.pool.connection() as conn:
        used = {q.quota_type: q.used for q in quota_status(conn, now=MONDAY_9)}
        events = conn.execute("SELECT kind, gmail_message_id FROM email_events").fetchall()
    assert used.get("global_daily") == 1
    assert [(e["kind"], e["gmail_message_id"]) for e in events] == [("sent", after[-1])]


def test_the_sent_message_carries_the_one_click_unsubscribe_headers(
    graph: FollowupGraph, send_allowed: Services, saturday: FollowupContext
) -> None:
    start(graph, GMAIL, saturday)
    resume(graph, THREAD, APPROVE, saturday)
    send_scheduled(send_allowed, SEND_KEY, now=MONDAY_9)
    gmail = send_allowed.connectors.gmail
    raw = gmail.get_raw_message(sent_messages(send_allowed)[-1])
    message = message_from_bytes(raw, policy=policy.default)
    link = str(message["List-Unsubscribe"])
    assert link.startswith(f"<{send_allowed.settings.public_url}/unsubscribe?token=")
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"


def test_the_job_rechecks_at_send_time(
    graph: FollowupGraph, send_allowed: Services, saturday: FollowupContext
) -> None:
    before = sent_messages(send_allowed)
    start(graph, GMAIL, saturday)
    resume(graph, THREAD, APPROVE, saturday)
    with send_allowed.pool.connection() as conn:
        suppress(conn, value=SEED_LEAD_EMAIL, kind="email", reason="MANUAL", actor="test")

    assert send_scheduled(send_allowed, SEND_KEY, now=MONDAY_9) == "refused"
    assert sent_messages(send_allowed) == before
    assert booking(send_allowed)["draft"] == "approved"
    with send_allowed.pool.connection() as conn:
        row = conn.execute("SELECT reason FROM scheduled_sends WHERE key = %s", (SEND_KEY,))
        reason = row.fetchone()
        audited = conn.execute(
            "SELECT count(*) AS n FROM audit_log WHERE action = 'send_refused' AND thread_id = %s",
            (THREAD,),
        ).fetchone()
    assert reason is not None and "suppressed" in reason["reason"]
    assert audited is not None and audited["n"] == 1


def test_the_plans_delay_is_honoured(graph: FollowupGraph, send_allowed: Services) -> None:
    wednesday = FollowupContext(now=datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    waiting = start(graph, GMAIL, wednesday)
    assert waiting.state.plan is not None, waiting.state
    plan = waiting.state.plan.model_copy(update={"delay_days": 2})
    graph.update_state({"configurable": {"thread_id": THREAD}}, {"plan": plan})
    done = resume(graph, THREAD, APPROVE, wednesday)
    assert done.state.scheduled_send_at == datetime(2026, 12, 11, 10, 0, tzinfo=UTC)
    assert done.state.scheduled_send_at - timedelta(days=2) == wednesday.now


def test_limits_that_leave_no_window_keep_the_draft_and_say_why(
    graph: FollowupGraph, send_allowed: Services, saturday: FollowupContext
) -> None:
    with send_allowed.pool.connection() as conn:
        update_limits(conn, changes={"global_daily": 0}, actor="test", reason="no sends today")
    try:
        start(graph, GMAIL, saturday)
        done = resume(graph, THREAD, APPROVE, saturday)
    finally:
        with send_allowed.pool.connection() as conn:
            update_limits(conn, changes={"global_daily": 50}, actor="test", reason="test over")
    assert done.state.scheduled_send_at is None
    assert "not sent: the hourly and daily send limits leave no send window" in (
        done.state.outcome_reason or ""
    )
    with send_allowed.pool.connection() as conn:
        assert conn.execute("SELECT count(*) AS n FROM scheduled_sends").fetchone() == {"n": 0}


def test_a_reply_before_the_window_refuses_the_booked_send(
    graph: FollowupGraph, send_allowed: Services, saturday: FollowupContext
) -> None:
    assert sync_gmail(send_allowed).baseline
    before = sent_messages(send_allowed)
    start(graph, GMAIL, saturday)
    resume(graph, THREAD, APPROVE, saturday)
    assert booking(send_allowed)["status"] == "scheduled"

    inbound(send_allowed, SEED_LEAD_EMAIL, "Actually, can we do Thursday instead?")
    assert sync_gmail(send_allowed).run_ids  # the reply flow answers the lead

    assert booking(send_allowed)["status"] == "refused"
    assert send_scheduled(send_allowed, SEND_KEY, now=MONDAY_9) == "refused"
    assert sent_messages(send_allowed) == before, "the approved message no longer fits"
    with send_allowed.pool.connection() as conn:
        event = conn.execute(
            "SELECT reason FROM audit_log WHERE action = 'send_refused' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert event is not None and "the lead wrote before the send window" in event["reason"]
