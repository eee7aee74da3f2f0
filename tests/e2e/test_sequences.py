"""Sequences end to end, the run clock moved forward: touches on a quiet lead, and every stop.

The first touch is approved in DRAFT_ONLY and sent from Gmail as the operator would; each
due touch goes through `run_due` (claimed and queued), `prepare_touch` (the due-time
checks, the queued run) and the run itself (`execute_run`, as a worker executes it).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from lead_thread import inbound
from sales_agent.config import Mode
from sales_agent.connectors import CalendarEvent, EmailAddress
from sales_agent.db.email_events import event_counts
from sales_agent.db.sequences import SequenceRow, get_sequence, list_sequences
from sales_agent.domain import Outcome, Trigger
from sales_agent.domain.sequence import Cadence, due_after
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.execute import execute_run
from sales_agent.jobs.followup_runs import (
    FollowupGraph,
    RunResult,
    forget_followup_thread,
    resume,
    start,
)
from sales_agent.jobs.scheduled_sends import send_scheduled
from sales_agent.jobs.sequences import prepare_touch, run_due
from sales_agent.nodes._auto_send import AUTO_SEND_FLAG
from sales_agent.policy.flags import set_flag
from sales_agent.policy.mode import set_mode
from sales_agent.policy.sequence_admin import set_cadence
from sales_agent.policy.suppression import SuppressionReason, suppress
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services
from sales_agent.triggers.gmail_changes import sync_gmail

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
FIRST = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)
ACCEPT = [{"type": "accept", "args": None}]
BANNED = ("bump", "circling back", "just checking in", "following up on my last")


def business(days: int, after: datetime = T0) -> datetime:
    return due_after(after, days, country="GB")


@pytest.fixture
def clean(fresh: Services) -> Iterator[Services]:
    """No sequence, touch thread, queued job or Gmail cursor left by an earlier test."""
    with fresh.pool.connection() as conn:
        threads = [r["thread_id"] for r in conn.execute("SELECT DISTINCT thread_id FROM runs")]
        conn.execute("DELETE FROM sequences")
        conn.execute("DELETE FROM trigger_cursors WHERE source = 'gmail'")
        conn.execute("DELETE FROM suppressions")
        conn.execute("DELETE FROM sequence_cadences")
        # Touches and runs an earlier test queued: no worker of a later test should run them.
        conn.execute("DELETE FROM procrastinate_jobs WHERE status = 'todo'")
    for thread_id in threads:
        forget_followup_thread(fresh, thread_id)
    yield fresh


def sequence_of(services: Services) -> SequenceRow:
    with services.pool.connection() as conn:
        rows = list_sequences(conn, email=SEED_LEAD_EMAIL)
    assert len(rows) == 1, rows
    return rows[0]


def first_touch(graph: FollowupGraph, services: Services) -> SequenceRow:
    """The lead's first reply, approved at T0 and sent by the operator from Gmail."""
    start(graph, FIRST, FollowupContext(now=T0))
    done = resume(graph, f"gmail:{SEED_LEAD_THREAD_ID}", ACCEPT, FollowupContext(now=T0))
    assert done.state.outcome is Outcome.APPROVED and done.state.gmail_draft_id
    services.connectors.gmail.send_draft(done.state.gmail_draft_id)
    return sequence_of(services)


def queue_touch(graph: FollowupGraph, services: Services, now: datetime) -> str:
    """Everything a due tick does at `now`: claim, check, run to the approval; the thread."""
    claimed = run_due(services.pool, now=now)
    assert [due.sequence_id for due in claimed] == [sequence_of(services).id]
    number = claimed[0].touch
    result = prepare_touch(services, sequence_id=claimed[0].sequence_id, touch=number, now=now)
    assert result.verdict == "queued" and result.run_id is not None, result
    assert execute_run(services, graph, result.run_id) == "interrupted"
    return f"sequence:{claimed[0].sequence_id}:{number}"


def touch(graph: FollowupGraph, services: Services, now: datetime) -> RunResult:
    """A due touch, approved by the operator and sent from Gmail."""
    done = resume(graph, queue_touch(graph, services, now), ACCEPT, FollowupContext(now=now))
    assert done.state.outcome is Outcome.APPROVED
    assert done.state.gmail_draft_id is not None
    services.connectors.gmail.send_draft(done.state.gmail_draft_id)
    return done


def test_a_quiet_lead_gets_each_follow_up_on_its_cadence_then_nothing(
    graph: FollowupGraph, clean: Services
) -> None:
    enrolled = first_touch(graph, clean)
    assert (enrolled.status, enrolled.touches_done) == ("active", 0)
    assert enrolled.next_due_at == business(3)  # Thursday 5 March, 09:00
    assert run_due(clean.pool, now=business(3) - timedelta(minutes=1)) == []

    answered: set[str] = set()
    due = business(3)
    for number, wait_next in ((1, 5), (2, 7), (3, None)):
        done = touch(graph, clean, due)
        draft = done.state.draft
        assert done.state.trigger.touch == number and draft is not None
        body = draft.body.lower()
        assert not [phrase for phrase in BANNED if phrase in body], body
        assert len(draft.body.split()) < 125
        thread = done.state.thread
        assert thread is not None and thread.gmail_thread_id == SEED_LEAD_THREAD_ID
        assert thread.reply_to_message_id not in answered  # each answers our newest message
        answered.add(str(thread.reply_to_message_id))
        assert thread.reply_to_message_id.endswith("@sales-agent.invalid>")
        row = sequence_of(clean)
        assert row.touches_done == number
        if wait_next is None:
            assert (row.status, row.next_due_at) == ("completed", None)
            assert "this is my last note" in body
        else:
            assert row.next_due_at == business(wait_next, due)
            due = business(wait_next, due)
    assert run_due(clean.pool, now=due + timedelta(days=60)) == []
    messages = clean.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID).messages
    ours = [m for m in messages if m.message_id.endswith("@sales-agent.invalid>")]
    assert len(ours) == 4  # the first touch and three follow-ups, all on the one thread


def test_a_reply_between_touches_stops_the_sequence_and_runs_the_reply_flow(
    graph: FollowupGraph, clean: Services
) -> None:
    assert sync_gmail(clean).baseline
    first_touch(graph, clean)
    touch(graph, clean, business(3))
    inbound(clean, SEED_LEAD_EMAIL, "Thanks. What would this cost for our two sites?")
    synced = sync_gmail(clean)
    assert len(synced.run_ids) == 1
    assert sequence_of(clean).status == "paused"  # at once: no touch can go out now
    assert run_due(clean.pool, now=business(20)) == []
    assert execute_run(clean, graph, synced.run_ids[0]) == "interrupted"  # the reply's draft
    row = sequence_of(clean)
    assert (row.status, row.stop_reason) == ("stopped", "replied")
    assert run_due(clean.pool, now=business(30)) == []


def test_a_reply_the_sync_missed_is_found_at_due_time(
    graph: FollowupGraph, clean: Services
) -> None:
    first_touch(graph, clean)
    inbound(clean, SEED_LEAD_EMAIL, "Sounds good, can you send more detail on the approach?")
    claimed = run_due(clean.pool, now=business(3))
    result = prepare_touch(clean, sequence_id=claimed[0].sequence_id, touch=1, now=business(3))
    assert result.verdict == "reply" and result.run_id is not None
    assert sequence_of(clean).status == "paused"
    assert execute_run(clean, graph, result.run_id) == "interrupted"
    assert sequence_of(clean).stop_reason == "replied"


def test_a_bounce_suppresses_and_the_due_touch_stops(graph: FollowupGraph, clean: Services) -> None:
    first_touch(graph, clean)
    with clean.pool.connection() as conn:
        suppress(
            conn,
            value=SEED_LEAD_EMAIL,
            kind="email",
            reason=SuppressionReason.BOUNCED,
            actor="test",
            source="bounce",
            now=T0,
        )
    claimed = run_due(clean.pool, now=business(3))
    result = prepare_touch(clean, sequence_id=claimed[0].sequence_id, touch=1, now=business(3))
    assert result.verdict == "stopped"
    row = sequence_of(clean)
    assert (row.status, row.stop_reason, row.touches_done) == ("stopped", "bounced", 0)


def test_the_operator_answering_from_gmail_stops_the_sequence(
    graph: FollowupGraph, clean: Services
) -> None:
    first_touch(graph, clean)
    inbound(clean, clean.settings.operator_email, "Ringing you tomorrow about this.")
    claimed = run_due(clean.pool, now=business(3))
    assert prepare_touch(
        clean, sequence_id=claimed[0].sequence_id, touch=1, now=business(3)
    ).verdict == ("stopped")
    assert sequence_of(clean).stop_reason == "operator_replied"


class _CalendarWithMeeting:
    """The operator's calendar with one meeting, the lead among its attendees."""

    def list_events(
        self, calendar_id: str, time_min: datetime, time_max: datetime
    ) -> list[CalendarEvent]:
        start = business(4)
        return [
            CalendarEvent(
                id="meeting-1",
                summary="Intro call",
                start=start,
                end=start + timedelta(minutes=30),
                attendees=[EmailAddress(email=SEED_LEAD_EMAIL.upper())],
            )
        ]


def test_a_meeting_with_the_lead_on_the_calendar_stops_the_sequence(
    graph: FollowupGraph, clean: Services
) -> None:
    first_touch(graph, clean)
    connectors = dataclasses.replace(clean.connectors, calendar=_CalendarWithMeeting())
    with_meeting = dataclasses.replace(clean, connectors=connectors)
    claimed = run_due(with_meeting.pool, now=business(3))
    result = prepare_touch(
        with_meeting, sequence_id=claimed[0].sequence_id, touch=1, now=business(3)
    )
    assert result.verdict == "stopped"
    assert sequence_of(clean).stop_reason == "meeting_booked"
    with clean.pool.connection() as conn:
        assert event_counts(conn)["meeting_booked"] == 1  # what the metrics count as meetings


def test_an_out_of_office_pushes_the_next_touch_past_the_return_date(
    graph: FollowupGraph, clean: Services
) -> None:
    assert sync_gmail(clean).baseline
    first_touch(graph, clean)
    inbound(
        clean,
        SEED_LEAD_EMAIL,
        "Automatic reply: I am out of the office until Monday 16 March 2026 with limited "
        "access to email. I will reply when I am back.",
    )
    assert len(sync_gmail(clean).run_ids) == 1
    assert sequence_of(clean).status == "paused"
    # The reply flow the sync queued, run on the day the auto-reply arrived.
    read = start(graph, FIRST, FollowupContext(now=T0 + timedelta(days=1)))
    assert read.state.outcome is Outcome.NO_ACTION and not read.interrupts  # a task, no draft
    row = sequence_of(clean)
    assert row.status == "active" and row.next_due_at is not None
    assert row.next_due_at.date() == datetime(2026, 3, 17).date()  # the first day back + 1
    assert run_due(clean.pool, now=business(3)) == []
    # When it comes due, the auto-reply already dealt with is not taken for a reply.
    claimed = run_due(clean.pool, now=row.next_due_at)
    result = prepare_touch(clean, sequence_id=row.id, touch=1, now=row.next_due_at)
    assert [due.sequence_id for due in claimed] == [row.id] and result.verdict == "queued"


def test_a_touch_ignored_by_the_operator_ends_the_sequence(
    graph: FollowupGraph, clean: Services
) -> None:
    first_touch(graph, clean)
    thread_id = queue_touch(graph, clean, business(3))
    resume(graph, thread_id, [{"type": "ignore", "args": None}], FollowupContext(now=business(3)))
    row = sequence_of(clean)
    assert (row.status, row.stop_reason) == ("stopped", "touch_declined")
    with clean.pool.connection() as conn:
        assert get_sequence(conn, row.id) == row


@pytest.fixture
def send_allowed(clean: Services) -> Iterator[Services]:
    """SEND_ALLOWED with AUTO_SEND_FOLLOWUP on for everyone; both off again afterwards."""
    with clean.pool.connection() as conn:
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="test", reason="auto-send test")
        set_flag(conn, name=AUTO_SEND_FLAG, enabled=True, actor="test", reason="auto-send test")
        conn.execute("DELETE FROM send_ledger")
    yield clean
    with clean.pool.connection() as conn:
        set_flag(
            conn, name=AUTO_SEND_FLAG, enabled=False, rollout_percent=100, actor="t", reason="x"
        )
        set_mode(conn, mode=Mode.DRAFT_ONLY, actor="test", reason="auto-send test over")


def test_auto_send_skips_approval_only_inside_the_quota_and_the_rollout(
    graph: FollowupGraph, send_allowed: Services
) -> None:
    services = send_allowed
    with services.pool.connection() as conn:
        set_cadence(
            conn,
            email=SEED_LEAD_EMAIL,
            cadence=Cadence(days=(3, 8, 8), max_touches=3),
            actor="test",
            reason="slower for this lead",
        )
    start(graph, FIRST, FollowupContext(now=T0))
    first = resume(graph, f"gmail:{SEED_LEAD_THREAD_ID}", ACCEPT, FollowupContext(now=T0))
    # The operator approved; SEND_ALLOWED books it for the lead's send window, then sends it.
    assert first.state.outcome is Outcome.APPROVED and first.state.scheduled_send_at
    first_key = f"gmail:{SEED_LEAD_THREAD_ID}:gmail_send:1"
    assert send_scheduled(services, first_key, now=first.state.scheduled_send_at) == "sent"

    # Three business days on, one more send would break "1 per contact per 7 days": it waits.
    held = queue_touch(graph, services, business(3))
    assert graph.get_state({"configurable": {"thread_id": held}}).interrupts
    resume(graph, held, ACCEPT, FollowupContext(now=business(3)))  # approved, booked
    held_key = f"{held}:gmail_send:1"
    assert send_scheduled(services, held_key, now=business(3)) == "refused"  # the quota says no

    # Eight business days later the quota has room: sent with no interrupt, by the agent.
    due = business(8, business(3))
    claimed = run_due(services.pool, now=due)
    result = prepare_touch(services, sequence_id=claimed[0].sequence_id, touch=2, now=due)
    assert result.run_id is not None
    assert execute_run(services, graph, result.run_id) == "success"
    second = f"sequence:{claimed[0].sequence_id}:2"
    state = graph.get_state({"configurable": {"thread_id": second}})
    assert state.values["outcome"] == Outcome.APPROVED and state.values["auto_approved"]
    send_at = state.values["scheduled_send_at"]
    assert send_scheduled(services, f"{second}:gmail_send:1", now=send_at) == "sent"
    with services.pool.connection() as conn:
        event = conn.execute(
            "SELECT actor, reason FROM audit_log WHERE action = 'outcome_approved' "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
        assert event is not None and event["actor"] == "agent"
        assert event["reason"].startswith("AUTO_SEND_FOLLOWUP")
        # Out of the rollout: the next touch waits for the operator again.
        set_flag(conn, name=AUTO_SEND_FLAG, rollout_percent=0, actor="test", reason="pause")
    last = queue_touch(graph, services, business(8, due))
    assert graph.get_state({"configurable": {"thread_id": last}}).interrupts


def test_a_worker_checks_the_queued_touches_and_runs_them_to_the_approval(
    graph: FollowupGraph, clean: Services
) -> None:
    from test_jobs import start_worker, wait_for

    first_touch(graph, clean)
    [due] = run_due(clean.pool, now=business(3))  # what the periodic job does at that time
    stop = start_worker(clean)
    try:
        deadline = time.monotonic() + 120
        runs: list[dict[str, object]] = []
        while not runs and time.monotonic() < deadline:
            with clean.pool.connection() as conn:
                runs = conn.execute(
                    "SELECT run_id::text AS run_id, context FROM runs WHERE thread_id = %s",
                    (f"sequence:{due.sequence_id}:1",),
                ).fetchall()
            time.sleep(0.2)
        assert runs, "the touch job queued no run"
        assert wait_for(clean, str(runs[0]["run_id"]))["status"] == "interrupted"
    finally:
        stop()
    assert runs[0]["context"] == {"now": business(3).isoformat()}  # the run's clock: due time
    assert sequence_of(clean).pending_touch == 1
