"""Gmail state changes over HTTP: drafts.send, messages.send, history, watch, labels, profile,
and the second persona's mailbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from sales_agent.connectors.gmail import GmailClient
from sales_agent.connectors.gmail_models import GmailHistoryExpiredError
from sales_agent.connectors.gmail_reply import build_reply
from sales_agent.connectors.google_api import (
    GoogleService,
    anonymous_credentials,
    build_google_service,
    sandbox_endpoint,
)
from sales_agent.connectors.records import EmailAddress, ReplyDraft
from sales_agent.connectors.retry import RetryPolicy
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID, SandboxServer

OPERATOR = EmailAddress(email="dana@chaingepartners.example", name="Dana Reyes")
MARCUS = EmailAddress(email="marcus@brightlinegrowth.example", name="Marcus Hale")
FAST_RETRY = RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.02)


@pytest.fixture(scope="module")
def service(sandbox: SandboxServer) -> GoogleService:
    endpoint = sandbox_endpoint(sandbox.url, "gmail", "v1")
    return build_google_service(
        "gmail", "v1", credentials=anonymous_credentials(), api_endpoint=endpoint
    )


@pytest.fixture(scope="module")
def gmail(service: GoogleService) -> GmailClient:
    return GmailClient(service, operator=OPERATOR, retry=FAST_RETRY)


@pytest.fixture(autouse=True)
def _fresh_seed(sandbox: SandboxServer) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()


def _reply(gmail: GmailClient, text: str) -> ReplyDraft:
    thread = gmail.get_thread(SEED_LEAD_THREAD_ID)
    return build_reply(thread, operator_email=OPERATOR.email, body_text=text)


def test_profile_names_the_mailbox_and_its_history_id(gmail: GmailClient) -> None:
    profile = gmail.get_profile()
    assert profile.email_address == OPERATOR.email
    assert profile.messages_total >= 300 and profile.threads_total >= 40
    assert gmail.list_history(profile.history_id).records == []


def test_history_after_a_draft(gmail: GmailClient) -> None:
    start = gmail.get_profile().history_id

    draft_id = gmail.create_draft(_reply(gmail, "Hi Priya,\n\nTuesday works."))
    page = gmail.list_history(start)

    draft = gmail.get_draft(draft_id).message
    (record,) = page.records
    assert (record.type, record.message.id, record.message.thread_id) == (
        "messageAdded",
        draft.id,
        SEED_LEAD_THREAD_ID,
    )
    assert record.message.label_ids == ["DRAFT"] and record.id > start
    assert page.history_id == gmail.get_profile().history_id == record.id


def test_send_draft_turns_it_into_a_sent_message_in_its_thread(gmail: GmailClient) -> None:
    draft_id = gmail.create_draft(_reply(gmail, "Hi Priya,\n\nTuesday at 10:00 works."))
    draft_message = gmail.get_draft(draft_id).message
    start = gmail.get_profile().history_id

    sent_id = gmail.send_draft(draft_id)

    with pytest.raises(ConnectorError) as gone:
        gmail.get_draft(draft_id)
    assert gone.value.status == 404
    thread = gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert [m.id for m in thread.messages][-1] == sent_id
    assert not any(m.is_draft for m in thread.messages)
    sent = thread.messages[-1]
    assert sent.label_ids == ["SENT"] and sent.body_text == "Hi Priya,\n\nTuesday at 10:00 works."
    assert sent.subject == draft_message.subject
    assert sent.in_reply_to == draft_message.in_reply_to
    assert sent.message_id.startswith("<") and sent.message_id.endswith(">")  # stamped
    records = gmail.list_history(start).records
    assert [(r.type, r.message.id) for r in records] == [
        ("messageDeleted", draft_message.id),
        ("messageAdded", sent_id),
    ]
    assert sent_id in {m.id for m in gmail.list_messages("in:sent to:priya").messages}


def test_send_message_threads_a_reply_and_starts_new_threads(gmail: GmailClient) -> None:
    reply_id = gmail.send_message(_reply(gmail, "Hi Priya,\n\nSee you Tuesday."))
    fresh_id = gmail.send_message(
        ReplyDraft(to=[EmailAddress(email=SEED_LEAD_EMAIL)], subject="New topic", body_text="Hi")
    )

    reply = gmail.get_message(reply_id)
    fresh = gmail.get_message(fresh_id)
    assert reply.thread_id == SEED_LEAD_THREAD_ID and reply.label_ids == ["SENT"]
    assert reply.sender == OPERATOR
    assert fresh.thread_id == fresh_id and fresh.subject == "New topic"
    assert datetime.now(UTC) - fresh.date < timedelta(minutes=1)


def test_history_types_and_paging(gmail: GmailClient) -> None:
    start = gmail.get_profile().history_id
    first = gmail.create_draft(_reply(gmail, "one"))
    gmail.update_draft(first, _reply(gmail, "two"))
    gmail.delete_draft(first)

    everything = gmail.list_history(start).records
    deleted = gmail.list_history(start, history_types=["messageDeleted"]).records
    first_page = gmail.list_history(start, max_results=1)
    second_page = gmail.list_history(start, max_results=1, page_token=first_page.next_page_token)

    assert [r.type for r in everything] == [
        "messageAdded",
        "messageAdded",
        "messageDeleted",
        "messageDeleted",
    ]
    assert [r.id for r in everything] == sorted(r.id for r in everything)
    assert deleted == [r for r in everything if r.type == "messageDeleted"]
    assert first_page.records + second_page.records == everything[:2]
    assert first_page.next_page_token is not None


def test_history_too_old_is_a_typed_error(sandbox: SandboxServer, gmail: GmailClient) -> None:
    floor = sandbox.workspace.gmail.history_floor
    assert floor > 1000, "history older than a week has expired"

    with pytest.raises(GmailHistoryExpiredError) as expired:
        gmail.list_history(floor - 1)

    assert expired.value.status == 404 and expired.value.start_history_id == floor - 1
    assert "full sync" in expired.value.message
    recent = gmail.list_history(floor).records
    assert recent and all(r.type == "messageAdded" for r in recent)
    assert SEED_LEAD_THREAD_ID in {r.message.thread_id for r in recent}


def test_watch_and_stop(gmail: GmailClient) -> None:
    watch = gmail.watch("projects/chainge/topics/gmail", label_ids=["INBOX"])
    assert watch.history_id == gmail.get_profile().history_id
    assert timedelta(days=6) < watch.expiration - datetime.now(UTC) <= timedelta(days=7)
    gmail.stop_watch()
    with pytest.raises(ConnectorError) as invalid:
        gmail.watch("not-a-topic")
    assert invalid.value.status == 400


def test_labels(gmail: GmailClient) -> None:
    labels = {label.id: label for label in gmail.list_labels()}
    assert {"INBOX", "SENT", "DRAFT", "UNREAD", "SPAM", "TRASH"} <= labels.keys()
    assert labels["SENT"].type == "system"


def test_second_mailbox_is_marcus(service: GoogleService, sandbox: SandboxServer) -> None:
    marcus = GmailClient(service, operator=MARCUS, user_id=MARCUS.email, retry=FAST_RETRY)

    profile = marcus.get_profile()
    sent = marcus.list_messages("in:sent", max_results=500)

    assert profile.email_address == MARCUS.email
    assert sent.result_size_estimate >= 100
    message = marcus.get_message(sent.messages[0].id)
    assert message.sender.email == MARCUS.email
    assert message.body_text.startswith("Dear ")
    # Its own history: a draft in Marcus's mailbox is not in Dana's.
    dana_start = httpx.get(f"{sandbox.url}/gmail/v1/users/me/profile").json()["historyId"]
    new = ReplyDraft(to=[EmailAddress(email=SEED_LEAD_EMAIL)], subject="Hello!", body_text="Hi!")
    marcus.create_draft(new)
    assert len(marcus.list_history(profile.history_id).records) == 1
    assert httpx.get(f"{sandbox.url}/gmail/v1/users/me/profile").json()["historyId"] == dana_start


def test_unknown_user_is_refused(service: GoogleService) -> None:
    stranger = GmailClient(
        service, operator=OPERATOR, user_id="nobody@elsewhere.example", retry=FAST_RETRY
    )
    with pytest.raises(ConnectorError) as refused:
        stranger.get_profile()
    assert refused.value.status == 403


def test_reset_restores_history_and_mail(gmail: GmailClient, sandbox: SandboxServer) -> None:
    before = gmail.get_profile()
    gmail.send_message(_reply(gmail, "Hi"))
    assert gmail.get_profile().history_id > before.history_id

    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()

    assert gmail.get_profile() == before
