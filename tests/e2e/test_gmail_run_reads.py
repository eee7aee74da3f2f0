"""A Gmail-triggered run reads its Gmail thread once, and a newer message is still seen.

The sync reads the history and each new inbound message; the run's trigger, identity
resolver and reader share one read of the thread. Counted in the sandbox's request log.
"""

from __future__ import annotations

import base64
from collections import Counter
from datetime import UTC, datetime
from email.message import EmailMessage

import httpx
import pytest

from sales_agent.bench.sandbox_calls import call_count, calls_since
from sales_agent.domain import Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, RunResult, start
from sales_agent.sandbox import SEED_LEAD_EMAIL
from sales_agent.services import Services
from sales_agent.triggers.gmail_changes import sync_gmail

pytestmark = pytest.mark.slow

MONDAY = FollowupContext(now=datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
_GMAIL = "/gmail/v1/users/me/"


def deliver(services: Services, text: str, *, number: int, thread_id: str | None) -> str:
    """The lead writes (users.messages.insert, as received mail); the Gmail thread id."""
    mail = EmailMessage()
    mail["From"], mail["To"] = SEED_LEAD_EMAIL, services.settings.operator_email
    mail["Subject"] = "Cross-dock delays" if number == 1 else "Re: Cross-dock delays"
    mail["Date"] = f"Mon, 14 Dec 2026 0{7 + number}:00:00 +0000"
    mail["Message-ID"] = f"<reads.{number}@northwind.example>"
    if number > 1:
        mail["In-Reply-To"] = mail["References"] = "<reads.1@northwind.example>"
    mail.set_content(text)
    body: dict[str, object] = {
        "raw": base64.urlsafe_b64encode(mail.as_bytes()).decode(),
        "labelIds": ["INBOX", "UNREAD"],
    }
    if thread_id:
        body["threadId"] = thread_id
    url = f"{services.sandbox_url}/gmail/v1/users/me/messages"
    response = httpx.post(url, json=body, timeout=10)
    response.raise_for_status()
    return str(response.json()["threadId"])


def gmail_reads(services: Services, since: int) -> Counter[str]:
    """GET calls per Gmail resource ("threads/<id>", "messages/<id>") since call `since`."""
    return Counter(
        call.path.removeprefix(_GMAIL)
        for call in calls_since(services, since)
        if call.method == "GET" and call.path.startswith(_GMAIL)
    )


def synced_run(services: Services, graph: FollowupGraph, trigger: Trigger) -> RunResult:
    """What a worker does for the sync's queued run (here in-process, on a pinned clock)."""
    assert sync_gmail(services).run_ids, "the sync queued a run for the thread"
    return start(graph, trigger, MONDAY)


def test_a_triggered_run_reads_its_thread_once_and_sees_a_newer_message(
    fresh: Services, graph: FollowupGraph
) -> None:
    with fresh.pool.connection() as conn:
        # A reset sandbox numbers its history afresh: start the sync there.
        conn.execute("DELETE FROM trigger_cursors WHERE source = 'gmail'")
        conn.execute("DELETE FROM webhook_events WHERE source = 'gmail'")
    sync_gmail(fresh)  # the first sync only marks where the history starts
    thread_id = deliver(
        fresh, "Our trucks wait hours at the dock. Can we talk?", number=1, thread_id=None
    )
    trigger = Trigger(source="gmail", gmail_thread_id=thread_id)

    before = call_count(fresh)
    first = synced_run(fresh, graph, trigger)

    reads = gmail_reads(fresh, before)
    assert first.interrupts and first.state.thread is not None
    assert first.state.thread.reply_to_message_id == "<reads.1@northwind.example>"
    assert reads[f"threads/{thread_id}"] == 1, reads
    message_reads = [n for path, n in reads.items() if path.startswith("messages/")]
    assert message_reads == [1], f"the sync reads the new message once: {reads}"

    # The lead writes again while the draft waits: the next run must answer the newer one.
    deliver(fresh, "Also: Thursday works best for a call.", number=2, thread_id=thread_id)
    before = call_count(fresh)
    second = synced_run(fresh, graph, trigger)

    reads = gmail_reads(fresh, before)
    assert second.interrupts and second.state.thread is not None
    assert second.state.thread.reply_to_message_id == "<reads.2@northwind.example>"
    assert second.state.draft_version == 2, "the waiting draft was superseded"
    assert reads[f"threads/{thread_id}"] == 1, reads
