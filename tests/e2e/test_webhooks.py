"""The webhooks and `sales-agent watch` against a live server, the sandbox and a real worker.

The app runs under uvicorn on a free port; HubSpot deliveries are signed as HubSpot signs
them, Gmail pushes carry the shared token, and the mail they announce is inserted into the
sandbox mailbox over HTTP. A request only dedupes and queues a job; a procrastinate worker
runs the jobs (the reads that queue the runs) and the runs, and the tests wait for it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from sales_agent.config import Settings
from sales_agent.jobs.run_rows import get_run
from sales_agent.jobs.worker import run_worker
from sales_agent.sandbox import SandboxServer
from sales_agent.sandbox.seed import FormSubmission
from sales_agent.server.app import create_app
from sales_agent.services import Services
from sales_agent.trace import current_trace_id
from sales_agent.triggers.hubspot_events import HUBSPOT_EVENTS, handle_hubspot_events
from sales_agent.triggers.hubspot_signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign_v3

SECRET = "hubspot-app-secret-for-tests"
TOKEN = "push-token-for-tests"
FORM_ID = "5b1c9d01-7a2e-4e0d-9c1f-c3e0de0d5b4b"
PRIYA = "priya@northwind-logistics.example"
THREAD = "thr-northwind-001"

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    """A sandbox of the module's own, so a test can add a form submission to its store."""
    with SandboxServer() as server:
        yield server


@pytest.fixture(scope="module")
def settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    """The module's settings on that sandbox, with the webhooks' secrets set."""
    return settings.model_copy(
        update={
            "sandbox_url": sandbox.url,
            "hubspot_app_secret": SecretStr(SECRET),
            "pubsub_verification_token": SecretStr(TOKEN),
        }
    )


@pytest.fixture(scope="module")
def server_url(settings: Settings, services: Services) -> Iterator[str]:
    """The app under uvicorn in a thread (the database is migrated by `services` first)."""
    server = uvicorn.Server(
        # No worker in the app: the module's own worker runs every job, deterministically.
        uvicorn.Config(
            create_app(settings, worker=False), host="127.0.0.1", port=0, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the app did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def worker(services: Services) -> Iterator[Services]:
    """A procrastinate worker in a thread for the whole module."""
    loop = asyncio.new_event_loop()
    working = loop.create_task(run_worker(services, install_signal_handlers=False))
    thread = threading.Thread(target=loop.run_until_complete, args=(_stopped(working),))
    thread.start()
    yield services
    loop.call_soon_threadsafe(working.cancel)
    thread.join(timeout=30)


async def _stopped(task: asyncio.Task[None]) -> None:
    try:
        await task
    except asyncio.CancelledError:
        return


def finished(services: Services, run_id: str, timeout: float = 90) -> dict[str, Any]:
    """The run once the worker is done with it."""
    deadline = time.monotonic() + timeout
    while True:
        with services.pool.connection() as conn:
            run = get_run(conn, run_id=run_id)
        assert run is not None
        if run["status"] not in ("pending", "running"):
            return dict(run)
        assert time.monotonic() < deadline, f"run {run_id} still {run['status']}"
        time.sleep(0.1)


def settled(services: Services, timeout: float = 60) -> None:
    """Wait until the worker has done every job the webhooks queued (their reads and runs)."""
    deadline = time.monotonic() + timeout
    query = (
        "SELECT count(*) AS n FROM procrastinate_jobs "
        "WHERE task_name LIKE 'webhooks.%%' AND status IN ('todo', 'doing')"
    )
    while True:
        with services.pool.connection() as conn:
            row = conn.execute(query).fetchone()
        if row is not None and row["n"] == 0:
            return
        assert time.monotonic() < deadline, "webhook jobs still waiting"
        time.sleep(0.05)


def webhook_jobs(services: Services, task: str) -> list[dict[str, Any]]:
    with services.pool.connection() as conn:
        rows = conn.execute(
            "SELECT status, args FROM procrastinate_jobs WHERE task_name = %s ORDER BY id", [task]
        ).fetchall()
    return [dict(row) for row in rows]


def runs(services: Services) -> list[dict[str, Any]]:
    with services.pool.connection() as conn:
        rows = conn.execute("SELECT * FROM runs ORDER BY created_at").fetchall()
    return [{**row, "run_id": str(row["run_id"])} for row in rows]


def job_of(services: Services, run: dict[str, Any]) -> dict[str, Any]:
    with services.pool.connection() as conn:
        job = conn.execute(
            "SELECT task_name, lock, args FROM procrastinate_jobs WHERE id = %s", [run["job_id"]]
        ).fetchone()
    assert job is not None, f"run {run['run_id']} has no procrastinate job"
    return dict(job)


# --- HubSpot ---------------------------------------------------------------------------------


def deliver(
    server_url: str, events: object, *, age: timedelta = timedelta(0), secret: str = SECRET
) -> httpx.Response:
    """POST a delivery signed as HubSpot signs it (signature v3 over the full URL)."""
    url = f"{server_url}/webhooks/hubspot"
    body = json.dumps(events).encode() if not isinstance(events, bytes) else events
    stamp = int((time.time() - age.total_seconds()) * 1000)
    signature = sign_v3(app_secret=secret, method="POST", uri=url, body=body, timestamp=stamp)
    headers = {SIGNATURE_HEADER: signature, TIMESTAMP_HEADER: str(stamp)}
    return httpx.post(url, content=body, headers={**headers, "Content-Type": "application/json"})


def contact_created(event_id: int, contact_id: int, source: str = "CRM") -> dict[str, Any]:
    return {
        "eventId": event_id,
        "subscriptionId": 2452,
        "portalId": 62515,
        "appId": 1160452,
        "occurredAt": int(time.time() * 1000),
        "subscriptionType": "contact.creation",
        "attemptNumber": 0,
        "objectId": contact_id,
        "changeSource": source,
        "changeFlag": "NEW",
    }


def test_a_signed_contact_creation_queues_one_run_and_its_redelivery_none(
    server_url: str, worker: Services
) -> None:
    services = worker
    before = len(runs(services))
    jobs_before = len(webhook_jobs(services, "webhooks.hubspot"))
    first = deliver(server_url, [contact_created(9001, 1001)])
    assert first.status_code == 200, first.text
    assert first.json() == {"received": 1, "duplicates": 0, "queued": 1}
    # Acknowledged once durable: the event and its job are in the database already.
    [job] = webhook_jobs(services, "webhooks.hubspot")[jobs_before:]
    assert [e["eventId"] for e in job["args"]["events"]] == [9001]

    again = deliver(server_url, [contact_created(9001, 1001)])
    assert again.status_code == 200
    assert again.json() == {"received": 1, "duplicates": 1, "queued": 0}
    assert len(webhook_jobs(services, "webhooks.hubspot")) == jobs_before + 1

    settled(services)
    new = runs(services)[before:]
    assert len(new) == 1
    run_id = new[0]["run_id"]
    assert new[0]["thread_id"] == f"manual:{PRIYA}"
    assert new[0]["input"]["trigger"] == {"source": "manual", "contact_email": PRIYA}
    assert new[0]["metadata"]["hubspot_event_id"] == 9001
    job = job_of(services, new[0])
    assert (job["task_name"], job["lock"], job["args"]) == (
        "followup.run",
        f"manual:{PRIYA}",
        {"run_id": run_id},
    )


def test_an_import_and_other_events_are_acknowledged_without_a_run(
    server_url: str, worker: Services
) -> None:
    services = worker
    before = len(runs(services))
    deal = {**contact_created(9003, 1), "subscriptionType": "deal.creation"}
    response = deliver(server_url, [contact_created(9002, 1002, "IMPORT"), deal])
    assert response.status_code == 200
    assert response.json() == {"received": 2, "duplicates": 0, "queued": 2}
    settled(services)
    assert len(runs(services)) == before


def test_the_job_is_idempotent_a_retry_queues_nothing_twice(worker: Services) -> None:
    services = worker
    events = HUBSPOT_EVENTS.validate_python([contact_created(9050, 1002)])
    first = handle_hubspot_events(services, events)
    assert len(first) == 1
    # A retry of the job after it got half-way (or all the way) finds the run it queued.
    assert handle_hubspot_events(services, events) == first
    with services.pool.connection() as conn:
        row = conn.execute(
            "SELECT count(*) AS n FROM runs WHERE metadata->>'hubspot_event_id' = '9050'"
        ).fetchone()
    assert row == {"n": 1}


def add_submission(sandbox: SandboxServer, submission_id: str, email: str, message: str) -> None:
    """A new form submission in the sandbox's store (newest first, as HubSpot lists them)."""
    sandbox.workspace.form_submissions.insert(
        0,
        FormSubmission(
            id=submission_id,
            form_id=FORM_ID,
            page_url="https://chaingepartners.example/contact",
            submitted_at=datetime.now(UTC),
            values={"email": email, "firstname": "Ruth", "message": message},
        ),
    )


def test_a_form_submission_event_queues_a_form_run_with_the_message(
    server_url: str, worker: Services, sandbox: SandboxServer
) -> None:
    services = worker
    add_submission(sandbox, "conv-webhook-1", "ruth.mensah@arkwrighttextiles.example", "Pricing?")
    event = {
        **contact_created(9010, 1004),
        "subscriptionType": "contact.propertyChange",
        "propertyName": "num_conversion_events",
        "propertyValue": "3",
    }
    response = deliver(server_url, [event, {**event, "eventId": 9011, "changeSource": "FORM"}])
    assert response.status_code == 200, response.text
    assert response.json()["queued"] == 2
    settled(services)
    [run] = [r for r in runs(services) if r["thread_id"] == "form:conv-webhook-1"]
    assert run["input"]["trigger"] == {
        "source": "form",
        "contact_email": "ruth.mensah@arkwrighttextiles.example",
        "submission_id": "conv-webhook-1",
        "message": "Pricing?",
    }
    # The seeded submissions are days old: outside the window the event opens.
    assert not [r for r in runs(services) if r["thread_id"].startswith("form:form-sub-")]
    assert deliver(server_url, [{**event, "eventId": 9012}]).json()["queued"] == 1
    settled(services)
    assert len([r for r in runs(services) if r["thread_id"] == "form:conv-webhook-1"]) == 1


def test_a_bad_or_missing_signature_is_401(server_url: str, services: Services) -> None:
    before = len(runs(services))
    jobs_before = len(webhook_jobs(services, "webhooks.hubspot"))
    url = f"{server_url}/webhooks/hubspot"
    wrong = deliver(server_url, [contact_created(9020, 1003)], secret="not-the-secret")
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "hubspot_webhook_signature"
    assert "does not match" in wrong.json()["message"]
    missing = httpx.post(url, json=[contact_created(9021, 1003)])
    assert missing.status_code == 401
    assert SIGNATURE_HEADER in missing.json()["message"]
    assert len(runs(services)) == before
    assert len(webhook_jobs(services, "webhooks.hubspot")) == jobs_before


def test_a_stale_timestamp_is_401(server_url: str) -> None:
    stale = deliver(server_url, [contact_created(9030, 1003)], age=timedelta(minutes=6))
    assert stale.status_code == 401
    assert "outside the 300 s window" in stale.json()["message"]
    fresh = deliver(server_url, [contact_created(9031, 1003)], age=timedelta(minutes=4))
    assert fresh.status_code == 200


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b"[{not json", ["body"]),
        ({"eventId": 1}, ["body"]),
        ([{"eventId": "x", "subscriptionType": "contact.creation"}], ["body", 0, "eventId"]),
    ],
)
def test_a_malformed_signed_body_is_422_with_details(
    server_url: str, body: object, where: list[object]
) -> None:
    response = deliver(server_url, body)
    assert response.status_code == 422
    details = response.json()["details"]
    assert details and details[0]["loc"][: len(where)] == where
    assert all(d["msg"] for d in details)


_event_ids = iter(range(9100, 9200))


@pytest.mark.parametrize("occurred_at", [10**20, -1, "1700000000000", 1.5, True])
def test_a_signed_event_with_an_impossible_time_is_refused_with_the_whole_batch(
    server_url: str, services: Services, occurred_at: object
) -> None:
    # Acknowledged, its job would fail for good turning the time into a date: refused now.
    jobs_before = len(webhook_jobs(services, "webhooks.hubspot"))
    # An import: acknowledged and queued, and its job starts no run.
    good = contact_created(next(_event_ids), 1002, "IMPORT")
    bad = {**contact_created(next(_event_ids), 1002), "occurredAt": occurred_at}
    response = deliver(server_url, [good, bad])
    assert response.status_code == 422, response.text
    [detail] = response.json()["details"]
    assert detail["loc"] == ["body", 1, "occurredAt"]  # which event, and which field
    assert len(webhook_jobs(services, "webhooks.hubspot")) == jobs_before
    # Nothing of the batch was recorded: the good event is new when it comes alone.
    assert deliver(server_url, [good]).json() == {"received": 1, "duplicates": 0, "queued": 1}


def test_a_signed_event_holding_a_nul_is_422_not_a_retry_forever(
    server_url: str, services: Services
) -> None:
    jobs_before = len(webhook_jobs(services, "webhooks.hubspot"))
    event = {**contact_created(9080, 1002, "IMPORT"), "propertyValue": "a\u0000b"}
    response = deliver(server_url, [event])
    assert response.status_code == 422, response.text
    assert response.json()["details"][0]["loc"] == ["body", 0]
    assert len(webhook_jobs(services, "webhooks.hubspot")) == jobs_before


README = Path(__file__).parents[2] / "README.md"


def readme_response_keys(route: str) -> set[str]:
    """The keys the README's webhook table promises for a 200 of `route`."""
    [row] = [line for line in README.read_text().splitlines() if line.startswith(f"| `{route}`")]
    promised = re.search(r"200 `\{([^}]*)\}`", row)
    assert promised, row
    return set(promised[1].split(", "))


def test_the_readme_names_the_keys_the_webhooks_answer(server_url: str) -> None:
    delivered = deliver(server_url, [contact_created(9090, 1, "IMPORT")])
    assert delivered.status_code == 200
    assert set(delivered.json()) == readme_response_keys("POST /webhooks/hubspot")
    # What a push answers (asserted in full by the Gmail tests below).
    assert {"history_id", "duplicate", "queued"} == readme_response_keys("POST /webhooks/gmail")


# --- Gmail -----------------------------------------------------------------------------------

_pushes = iter(range(1_000_000, 2_000_000))


def push(
    server_url: str, history_id: int, *, message_id: str | None = None, token: str = TOKEN
) -> httpx.Response:
    """POST a Pub/Sub push of a Gmail notification, as a push subscription sends it."""
    data = json.dumps({"emailAddress": "dana@chaingepartners.example", "historyId": history_id})
    message = {
        "data": base64.b64encode(data.encode()).decode(),
        "messageId": message_id or str(next(_pushes)),
        "publishTime": datetime.now(UTC).isoformat(),
    }
    body = {"message": message, "subscription": "projects/p/subscriptions/gmail-push"}
    return httpx.post(f"{server_url}/webhooks/gmail", params={"token": token}, json=body)


def insert_mail(
    sandbox: SandboxServer, services: Services, *, sender: str, to: str, labels: list[str]
) -> int:
    """users.messages.insert: a reply on the Northwind thread; returns the mailbox history id."""
    thread = services.connectors.gmail.get_thread(THREAD, "metadata")
    last = [m for m in thread.messages if not m.is_draft][-1]
    mail = EmailMessage()
    mail["From"], mail["To"] = sender, to
    mail["Subject"] = f"Re: {thread.messages[0].subject}"
    mail["In-Reply-To"], mail["References"] = last.message_id, last.message_id
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].rstrip(">"))
    mail.set_content("Following up on this: could we talk next week?")
    raw = base64.urlsafe_b64encode(mail.as_bytes()).decode()
    inserted = httpx.post(
        f"{sandbox.url}/gmail/v1/users/me/messages",
        json={"raw": raw, "threadId": THREAD, "labelIds": labels},
    )
    inserted.raise_for_status()
    assert inserted.json()["threadId"] == THREAD
    return services.connectors.gmail.get_profile().history_id


def test_gmail_push_needs_the_token_and_a_well_formed_body(server_url: str) -> None:
    refused = push(server_url, 1, token="wrong")
    assert refused.status_code == 401
    assert refused.json()["code"] == "pubsub_unauthorized"
    url = f"{server_url}/webhooks/gmail"
    no_message = httpx.post(url, params={"token": TOKEN}, json={"subscription": "s"})
    assert no_message.status_code == 422
    assert no_message.json()["details"][0]["loc"] == ["body", "message"]
    bad_data = {"message": {"data": "!!", "messageId": "1"}}
    malformed = httpx.post(url, params={"token": TOKEN}, json=bad_data)
    assert malformed.status_code == 422
    assert malformed.json()["details"][0]["loc"] == ["body", "message", "data"]
    assert "base64" in malformed.json()["details"][0]["msg"]


def encoded(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[" * 1000 + b"]" * 1000, "recursion limit"),  # json.loads: RecursionError
        (b'{"emailAddress": "\xff", "historyId": 1}', "unicode"),
        (b'{"historyId": 1}', "emailAddress"),
    ],
)
def test_a_push_whose_data_is_not_a_notification_is_422(
    server_url: str, data: bytes, reason: str
) -> None:
    body = {"message": {"data": encoded(data), "messageId": "deep-1"}}
    response = httpx.post(f"{server_url}/webhooks/gmail", params={"token": TOKEN}, json=body)
    assert response.status_code == 422, response.text
    [detail] = response.json()["details"]
    assert detail["loc"] == ["body", "message", "data"]
    assert reason in detail["msg"]


@pytest.mark.parametrize("message_id", ["a\u0000b", "line\nbreak", "x" * 257])
def test_a_push_message_id_that_cannot_be_stored_is_422_before_anything_is_queued(
    server_url: str, services: Services, message_id: str
) -> None:
    # A 503 here would have Pub/Sub redeliver the push for days, failing the same way.
    jobs_before = len(webhook_jobs(services, "webhooks.gmail"))
    data = encoded(b'{"emailAddress": "dana@chaingepartners.example", "historyId": 1}')
    body = {"message": {"data": data, "messageId": message_id}}
    response = httpx.post(f"{server_url}/webhooks/gmail", params={"token": TOKEN}, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["details"][0]["loc"] == ["body", "message", "messageId"]
    assert len(webhook_jobs(services, "webhooks.gmail")) == jobs_before


def test_a_push_starts_a_run_for_new_mail_and_an_operator_reply_closes_it(
    server_url: str, sandbox: SandboxServer, worker: Services
) -> None:
    services = worker
    # The first notification only marks where the mailbox is: nothing old starts a run.
    before = len(runs(services))
    baseline = push(server_url, services.connectors.gmail.get_profile().history_id)
    assert baseline.status_code == 200, baseline.text
    assert baseline.json()["queued"] is True
    settled(services)
    assert len(runs(services)) == before

    history_id = insert_mail(
        sandbox,
        services,
        sender=f"Priya <{PRIYA}>",
        to="dana@chaingepartners.example",
        labels=["INBOX", "UNREAD"],
    )
    notified = push(server_url, history_id, message_id="pubsub-inbound")
    assert notified.status_code == 200, notified.text
    assert notified.json() == {"history_id": history_id, "duplicate": False, "queued": True}
    # Pub/Sub delivers at least once: the same message again is acknowledged, nothing more.
    again = push(server_url, history_id, message_id="pubsub-inbound")
    assert again.json() == {"history_id": history_id, "duplicate": True, "queued": False}
    settled(services)
    [started] = runs(services)[before:]
    assert started["metadata"]["pubsub_message_id"] == "pubsub-inbound"

    waiting = finished(services, started["run_id"])
    assert (waiting["thread_id"], waiting["status"]) == (f"gmail:{THREAD}", "interrupted")
    # The agent's own draft is a new message in the history: it starts nothing.
    assert push(server_url, history_id + 100).json()["queued"] is True
    settled(services)
    assert len(runs(services)) == before + 1
    with services.pool.connection() as conn:
        [draft] = conn.execute(
            "SELECT status, gmail_thread_id FROM drafts WHERE thread_id = %s", [f"gmail:{THREAD}"]
        ).fetchall()
    assert draft == {"status": "pending_approval", "gmail_thread_id": THREAD}

    # The operator answers from Gmail: the waiting draft is withdrawn as handled.
    history_id = insert_mail(
        sandbox,
        services,
        sender="Dana Reyes <dana@chaingepartners.example>",
        to=PRIYA,
        labels=["SENT"],
    )
    assert push(server_url, history_id).status_code == 200
    settled(services)
    [closing] = runs(services)[before + 1 :]
    closed = finished(services, closing["run_id"])
    # The waiting thread runs its own trigger again; the graph finds the operator's reply.
    assert (closed["kind"], closed["thread_id"]) == ("start", f"gmail:{THREAD}")
    assert closed["status"] == "success"
    with services.pool.connection() as conn:
        row = conn.execute(
            "SELECT status FROM drafts WHERE thread_id = %s", [f"gmail:{THREAD}"]
        ).fetchone()
    assert row == {"status": "handled"}


# --- watch -----------------------------------------------------------------------------------


def test_watch_once_queues_a_run_for_a_new_form_submission(
    cli: RunCli, sandbox: SandboxServer, services: Services
) -> None:
    env = {"SALES_AGENT_SANDBOX_URL": sandbox.url}
    first = cli("watch", "--once", **env)
    assert first.returncode == 0, first.stderr
    assert "hubspot forms:" in first.stdout and "gmail:" in first.stdout

    add_submission(sandbox, "conv-watch-1", "hamza.boateng@haldenfoods.example", "Hello")
    second = cli("watch", "--once", **env)
    assert second.returncode == 0, second.stderr
    assert "hubspot forms: 1 runs" in second.stdout
    assert [r for r in runs(services) if r["thread_id"] == "form:conv-watch-1"]

    third = cli("watch", "--once", **env)
    assert "hubspot forms: 0 runs" in third.stdout
    assert len([r for r in runs(services) if r["thread_id"] == "form:conv-watch-1"]) == 1


def test_watch_is_a_command(cli: RunCli) -> None:
    helped = cli("watch", "--help")
    assert helped.returncode == 0
    assert "--interval" in helped.stdout and "--once" in helped.stdout


class _TraceLog(logging.Handler):
    """Every log record with the trace id current where it was emitted (the worker's thread)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[tuple[str, str, str | None]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.getMessage(), current_trace_id()))


def test_the_worker_logs_a_run_under_the_trace_id_of_the_request_that_started_it(
    server_url: str, worker: Services
) -> None:
    services = worker
    handler = _TraceLog()
    root = logging.getLogger("sales_agent")
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        body = json.dumps([contact_created(9060, 1002)]).encode()
        url = f"{server_url}/webhooks/hubspot"
        stamp = int(time.time() * 1000)
        signature = sign_v3(app_secret=SECRET, method="POST", uri=url, body=body, timestamp=stamp)
        headers = {
            SIGNATURE_HEADER: signature,
            TIMESTAMP_HEADER: str(stamp),
            "Content-Type": "application/json",
            "X-Request-ID": "trace-webhook-e2e",
        }
        assert httpx.post(url, content=body, headers=headers).status_code == 200
        settled(services)
        [run] = [r for r in runs(services) if r["metadata"].get("hubspot_event_id") == 9060]
        assert run["trace_id"] == "trace-webhook-e2e"
        finished(services, run["run_id"])
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    traced = [
        (name, message) for name, message, trace in handler.records if trace == run["trace_id"]
    ]
    assert any(name.startswith("sales_agent.triggers") for name, _ in traced), handler.records
    # Lines the run itself logs, on the worker's thread, carry the request's trace id too.
    assert ("sales_agent.jobs.execute", f"run {run['run_id']} stopped: interrupted") in traced, (
        traced
    )
