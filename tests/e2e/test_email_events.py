"""What happened after a send, end to end on a live server with the run clock moved forward.

A draft approved on a Saturday is sent by its job on Monday 09:00; then the sandbox mailbox
receives a bounce naming our message, or the lead's reply, and the Gmail sync records them.
The one-click unsubscribe link the sent message carries is followed over real HTTP.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import httpx
import pytest

from dsn_message import dsn
from live_server import live_server, operator_key
from sales_agent.config import Mode
from sales_agent.connectors.gmail_reply import key_token
from sales_agent.domain import Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, RunResult, resume, start
from sales_agent.jobs.scheduled_sends import send_scheduled
from sales_agent.policy.mode import set_mode
from sales_agent.policy.suppression import is_suppressed
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services
from sales_agent.triggers.gmail_changes import sync_gmail

pytestmark = pytest.mark.slow

GMAIL = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)
THREAD = f"gmail:{SEED_LEAD_THREAD_ID}"
SATURDAY = FollowupContext(now=datetime(2026, 12, 12, 11, 0, tzinfo=UTC))
MONDAY_9 = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
MONDAY_10 = "Mon, 14 Dec 2026 10:00:00 +0000"


@pytest.fixture(scope="module")
def server(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(services, tmp_path_factory.mktemp("email-events")) as url:
        yield url


@pytest.fixture(scope="module")
def api(services: Services, server: str) -> Iterator[httpx.Client]:
    key = operator_key(services)
    with httpx.Client(base_url=server, timeout=60, headers={"x-api-key": key}) as client:
        yield client


@pytest.fixture
def sent(graph: FollowupGraph, fresh: Services) -> Iterator[RunResult]:
    """The seed lead's draft, approved on Saturday and sent by its job on Monday at 09:00."""
    with fresh.pool.connection() as conn:
        conn.execute("DELETE FROM trigger_cursors WHERE source = 'gmail'")
        # A reset sandbox numbers its messages afresh: forget the ids earlier tests saw.
        conn.execute("DELETE FROM webhook_events WHERE source = 'gmail'")
        conn.execute("DELETE FROM suppressions")
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="test", reason="events test")
    sync_gmail(fresh)  # the first sync only marks where the history starts
    start(graph, GMAIL, SATURDAY)
    done = resume(graph, THREAD, {"decisions": [{"type": "approve"}]}, SATURDAY)
    assert send_scheduled(fresh, f"{THREAD}:gmail_send:1", now=MONDAY_9) == "sent"
    yield done
    with fresh.pool.connection() as conn:
        set_mode(conn, mode=Mode.DRAFT_ONLY, actor="test", reason="test over")


def deliver(services: Services, raw: bytes, thread_id: str | None = None) -> None:
    """Put `raw` in the sandbox mailbox as received mail (users.messages.insert)."""
    body = {"raw": base64.urlsafe_b64encode(raw).decode(), "labelIds": ["INBOX", "UNREAD"]}
    if thread_id:
        body["threadId"] = thread_id
    url = f"{services.sandbox_url}/gmail/v1/users/me/messages"
    httpx.post(url, json=body, timeout=10).raise_for_status()


def lead_replies(services: Services, text: str) -> None:
    """The lead answers our sent message on its thread (Monday 10:00)."""
    ours = services.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID).messages[-1]
    reply = EmailMessage()
    reply["From"], reply["To"] = SEED_LEAD_EMAIL, services.settings.operator_email
    reply["Subject"], reply["Date"] = f"Re: {ours.subject}", MONDAY_10
    reply["Message-ID"] = "<reply.1@northwind.example>"
    reply["In-Reply-To"], reply["References"] = ours.message_id, ours.message_id
    reply.set_content(text)
    deliver(services, reply.as_bytes(), SEED_LEAD_THREAD_ID)


def wait_for_runs(services: Services, run_ids: tuple[str, ...]) -> None:
    """Let the server's worker finish the runs a sync queued before the next test resets."""
    for _ in range(600):
        with services.pool.connection() as conn:
            busy = conn.execute(
                "SELECT count(*) AS n FROM runs WHERE run_id::text = ANY(%s)"
                " AND status IN ('pending', 'running')",
                (list(run_ids),),
            ).fetchone()
        if busy is not None and busy["n"] == 0:
            return
        time.sleep(0.2)
    pytest.fail(f"runs {run_ids} did not finish")


def kinds(api: httpx.Client, draft_id: str) -> list[str]:
    response = api.get("/api/email-events", params={"draft_id": draft_id})
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    assert all(e["opened_at"] is None and e["clicked_at"] is None for e in events)
    return [e["kind"] for e in events]


def test_a_bounce_suppresses_the_address_and_is_recorded(
    fresh: Services, sent: RunResult, api: httpx.Client
) -> None:
    deliver(fresh, dsn(SEED_LEAD_EMAIL, key_header=key_token(f"{THREAD}:gmail_draft:1")))
    synced = sync_gmail(fresh)

    assert synced.run_ids == (), "a bounce of ours starts no follow-up"
    with fresh.pool.connection() as conn:
        suppression = is_suppressed(conn, SEED_LEAD_EMAIL)
    assert suppression is not None and suppression.reason == "BOUNCED"
    assert sent.state.draft_record_id is not None
    assert kinds(api, sent.state.draft_record_id) == ["sent", "bounced"]
    sync_gmail(fresh)  # nothing new: nothing recorded twice
    assert kinds(api, sent.state.draft_record_id) == ["sent", "bounced"]


def test_a_reply_is_recorded_and_the_metrics_count_what_happened(
    fresh: Services, sent: RunResult, api: httpx.Client
) -> None:
    lead_replies(fresh, "Thanks, Tuesday works.")
    wait_for_runs(fresh, sync_gmail(fresh).run_ids)  # the reply's follow-up, on the server
    assert sent.state.draft_record_id is not None and sent.state.identity is not None
    assert kinds(api, sent.state.draft_record_id) == ["sent", "replied"]

    company = sent.state.identity.company_id
    assert company is not None
    mine = api.get("/api/metrics/email-performance", params={"company_id": company}).json()
    assert {k: mine[k] for k in ("sent", "delivered", "bounced", "replied", "meetings")} == {
        "sent": 1,
        "delivered": 1,
        "bounced": 0,
        "replied": 1,
        "meetings": 0,
    }
    assert mine["reply_rate"] == 1.0 and mine["opens"] is None and mine["clicks"] is None
    other = api.get("/api/metrics/email-performance", params={"company_id": "no-such"}).json()
    assert other["sent"] == 0 and other["reply_rate"] is None

    daily = api.get("/api/stats/daily", params={"until": "2026-12-15"}).json()["days"]
    assert len(daily) == 30 and daily[-1]["date"] == "2026-12-15"
    monday = next(day for day in daily if day["date"] == "2026-12-14")
    assert (monday["sent"], monday["replied"]) == (1, 1)
    assert sum(day["sent"] for day in daily) == 1

    contacts = api.get("/api/stats/contacts", params={"company_id": company}).json()
    assert [(c["contact_email"], c["sent"], c["replied"]) for c in contacts["contacts"]] == [
        (SEED_LEAD_EMAIL, 1, 1)
    ]


def test_the_one_click_link_suppresses_on_post_and_only_asks_on_get(
    fresh: Services, sent: RunResult, server: str, api: httpx.Client
) -> None:
    gmail = fresh.connectors.gmail
    thread = gmail.get_thread(SEED_LEAD_THREAD_ID)
    raw = gmail.get_raw_message([m for m in thread.messages if "SENT" in m.label_ids][-1].id)
    header = str(message_from_bytes(raw, policy=policy.default)["List-Unsubscribe"])
    link = urlsplit(header.strip("<>"))
    target = f"{server}{link.path}?{link.query}"

    with httpx.Client(timeout=30) as anonymous:  # a mail client: no API key
        page = anonymous.get(target)
        assert page.status_code == 200 and "Unsubscribe" in page.text
        with fresh.pool.connection() as conn:
            assert is_suppressed(conn, SEED_LEAD_EMAIL) is None, "a GET changes nothing"
        forged = anonymous.post(f"{target}x", content=b"List-Unsubscribe=One-Click")
        assert forged.status_code == 400
        with fresh.pool.connection() as conn:
            assert is_suppressed(conn, SEED_LEAD_EMAIL) is None
        done = anonymous.post(
            target,
            content=b"List-Unsubscribe=One-Click",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert done.status_code == 200, done.text

    with fresh.pool.connection() as conn:
        suppression = is_suppressed(conn, SEED_LEAD_EMAIL)
        actions = [
            row["action"]
            for row in conn.execute(
                "SELECT action FROM audit_log WHERE thread_id = %s ORDER BY id", (THREAD,)
            )
        ]
    assert suppression is not None and suppression.reason == "OPT_OUT"
    assert "unsubscribe_page_viewed" in actions and "unsubscribed" in actions
    assert sent.state.draft_record_id is not None
    # The click happens on the wall clock, the send on the pinned Monday: compare as sets.
    assert sorted(kinds(api, sent.state.draft_record_id)) == ["sent", "unsubscribed"]


def test_an_unsubscribe_reply_to_our_message_is_an_event_of_it(
    fresh: Services, sent: RunResult, api: httpx.Client
) -> None:
    lead_replies(fresh, "Please unsubscribe me from these emails.")
    wait_for_runs(fresh, sync_gmail(fresh).run_ids)  # the reader suppresses, on the server
    assert sent.state.draft_record_id is not None
    # The reply carries Monday's date, the reading happens on the wall clock: as sets.
    assert sorted(kinds(api, sent.state.draft_record_id)) == ["replied", "sent", "unsubscribed"]
    with fresh.pool.connection() as conn:
        suppression = is_suppressed(conn, SEED_LEAD_EMAIL)
    assert suppression is not None and suppression.reason == "OPT_OUT"


def test_the_servers_worker_sends_a_booking_whose_window_has_come(
    graph: FollowupGraph, fresh: Services, server: str
) -> None:
    # Approved on a Monday at 10:00 now past: the window is that moment, so the job is due and
    # the live server's in-process worker takes it.
    monday = FollowupContext(now=datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
    with fresh.pool.connection() as conn:
        conn.execute("DELETE FROM suppressions")
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="test", reason="worker test")
    try:
        start(graph, GMAIL, monday)
        done = resume(graph, THREAD, {"decisions": [{"type": "approve"}]}, monday)
        assert done.state.scheduled_send_at is not None
        for _ in range(300):
            with fresh.pool.connection() as conn:
                row = conn.execute(
                    "SELECT status FROM scheduled_sends WHERE key = %s",
                    (f"{THREAD}:gmail_send:1",),
                ).fetchone()
            if row is not None and row["status"] != "scheduled":
                break
            time.sleep(0.2)
    finally:
        with fresh.pool.connection() as conn:
            set_mode(conn, mode=Mode.DRAFT_ONLY, actor="test", reason="test over")
    assert row is not None and row["status"] == "sent"
    assert done.state.draft_record_id is not None
    with fresh.pool.connection() as conn:
        draft = conn.execute(
            "SELECT status FROM drafts WHERE id = %s", (done.state.draft_record_id,)
        ).fetchone()
    assert draft == {"status": "sent"}
