"""Gmail search (`q`), paging and formats over HTTP, through the real client library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest

from sales_agent.connectors.gmail import GmailClient
from sales_agent.connectors.google_api import (
    anonymous_credentials,
    build_google_service,
    sandbox_endpoint,
)
from sales_agent.connectors.records import EmailAddress
from sales_agent.connectors.retry import RetryPolicy
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import SEED_LEAD_THREAD_ID, SandboxServer

OPERATOR = "dana@chaingepartners.example"
FAST_RETRY = RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.02)


@pytest.fixture(scope="module")
def gmail(sandbox: SandboxServer) -> GmailClient:
    service = build_google_service(
        "gmail",
        "v1",
        credentials=anonymous_credentials(),
        api_endpoint=sandbox_endpoint(sandbox.url, "gmail", "v1"),
    )
    return GmailClient(service, operator=EmailAddress(email=OPERATOR), retry=FAST_RETRY)


def _all_message_ids(gmail: GmailClient, query: str) -> list[str]:
    ids: list[str] = []
    token = None
    while True:
        page = gmail.list_messages(query, page_token=token, max_results=200)
        ids += [m.id for m in page.messages]
        token = page.next_page_token
        if token is None:
            return ids


def _labelled(sandbox: SandboxServer, label: str) -> set[str]:
    return {m.id for m in sandbox.workspace.gmail.messages.values() if label in m.label_ids}


def test_in_sent_and_in_inbox_follow_labels(sandbox: SandboxServer, gmail: GmailClient) -> None:
    sent = _all_message_ids(gmail, "in:sent")
    inbox = _all_message_ids(gmail, "in:inbox")

    assert set(sent) == _labelled(sandbox, "SENT") and len(sent) == len(set(sent))
    assert set(inbox) == _labelled(sandbox, "INBOX")
    assert not set(sent) & set(inbox)
    assert gmail.list_messages("in:sent", max_results=1).result_size_estimate == len(sent)


def test_from_to_subject_and_phrases(gmail: GmailClient) -> None:
    assert [m.id for m in gmail.list_messages("from:priya").messages] == ["msg-northwind-002"]
    assert [m.id for m in gmail.list_messages("to:priya").messages] == ["msg-northwind-001"]
    assert [t.id for t in gmail.list_threads('subject:"Leeds cross-dock"').threads] == [
        SEED_LEAD_THREAD_ID
    ]
    phrase = gmail.list_messages('"dispatch delays in the warehouse"')
    assert [m.id for m in phrase.messages] == ["msg-northwind-002"]
    # A phrase matches whole words in order, not words scattered over the message.
    assert gmail.list_messages('"warehouse the in delays"').messages == []


def test_terms_are_anded_and_can_be_negated(sandbox: SandboxServer, gmail: GmailClient) -> None:
    assert [m.id for m in gmail.list_messages("in:sent to:priya").messages] == ["msg-northwind-001"]
    assert gmail.list_messages("in:inbox to:priya").messages == []
    not_priya = gmail.list_messages("in:sent -to:priya", max_results=1).result_size_estimate
    assert not_priya == len(_labelled(sandbox, "SENT")) - 1


@pytest.mark.parametrize("spelling", ["date", "epoch"])
def test_after_and_before_split_the_mailbox(
    sandbox: SandboxServer, gmail: GmailClient, spelling: str
) -> None:
    day = (sandbox.workspace.started_at - timedelta(days=120)).date()
    cut = datetime(day.year, day.month, day.day, tzinfo=UTC)
    value = f"{day:%Y/%m/%d}" if spelling == "date" else str(int(cut.timestamp()))

    before = _all_message_ids(gmail, f"in:sent before:{value}")
    after = _all_message_ids(gmail, f"in:sent after:{value}")

    messages = sandbox.workspace.gmail.messages
    assert before and after
    assert all(messages[i].internal_date < cut for i in before)
    assert all(messages[i].internal_date >= cut for i in after)
    assert set(before) | set(after) == _labelled(sandbox, "SENT")


def test_newer_than_and_older_than(sandbox: SandboxServer, gmail: GmailClient) -> None:
    now = datetime.now(UTC)
    messages = sandbox.workspace.gmail.messages
    week = _all_message_ids(gmail, "newer_than:7d")
    assert week and all(messages[i].internal_date >= now - timedelta(days=7) for i in week)
    two_months = set(_all_message_ids(gmail, "newer_than:2m"))
    year = set(_all_message_ids(gmail, "in:sent newer_than:1y"))
    assert set(week) < two_months
    assert year and all(messages[i].internal_date >= now - timedelta(days=365) for i in year)
    older = set(_all_message_ids(gmail, "in:sent older_than:1y"))
    assert older, "the Sent folder goes back more than a year"
    assert year | older == _labelled(sandbox, "SENT") and not year & older


def test_label_ids_filter(gmail: GmailClient) -> None:
    unread = gmail.list_messages(label_ids=["UNREAD"]).messages
    assert unread
    for ref in unread[:5]:
        assert "UNREAD" in gmail.get_message(ref.id, "minimal").label_ids


def test_paging_covers_every_thread_once_newest_first(
    sandbox: SandboxServer, gmail: GmailClient
) -> None:
    seen: list[str] = []
    dates: list[datetime] = []
    token = None
    pages = 0
    while True:
        page = gmail.list_threads("in:sent", page_token=token, max_results=40)
        pages += 1
        assert len(page.threads) <= 40
        for summary in page.threads:
            seen.append(summary.id)
            dates.append(sandbox.workspace.gmail.thread(summary.id)[-1].internal_date)
        token = page.next_page_token
        if token is None:
            break
    assert pages > 1
    assert len(seen) == len(set(seen)) == page.result_size_estimate
    assert dates == sorted(dates, reverse=True)


def test_bad_queries_and_page_tokens_are_400(gmail: GmailClient) -> None:
    for query in ("after:yesterday", "newer_than:7w"):
        with pytest.raises(ConnectorError) as error:
            gmail.list_threads(query)
        assert error.value.status == 400
    with pytest.raises(ConnectorError) as bad_token:
        gmail.list_messages("in:sent", page_token="not-a-token")
    assert bad_token.value.status == 400


def test_thread_formats(sandbox: SandboxServer, gmail: GmailClient) -> None:
    full = gmail.get_thread(SEED_LEAD_THREAD_ID)
    metadata = gmail.get_thread(SEED_LEAD_THREAD_ID, "metadata")
    minimal = gmail.get_thread(SEED_LEAD_THREAD_ID, "minimal")

    assert [m.subject for m in metadata.messages] == [m.subject for m in full.messages]
    assert [m.sender for m in metadata.messages] == [m.sender for m in full.messages]
    assert all(m.body_text == "" for m in metadata.messages + minimal.messages)
    assert all(m.subject == "" for m in minimal.messages)
    assert [m.label_ids for m in minimal.messages] == [m.label_ids for m in full.messages]

    only_subject = httpx.get(
        f"{sandbox.url}/gmail/v1/users/me/threads/{SEED_LEAD_THREAD_ID}",
        params={"format": "metadata", "metadataHeaders": ["Subject"]},
    ).json()
    headers = only_subject["messages"][0]["payload"]["headers"]
    assert [h["name"] for h in headers] == ["Subject"]


def test_raw_format_parses_like_full(sandbox: SandboxServer, gmail: GmailClient) -> None:
    for message_id in ("msg-northwind-002", "msg-referral-01-01", "msg-new_lead-03-01"):
        full = gmail.get_message(message_id)
        raw = gmail.get_message(message_id, "raw")
        assert raw == full

    resource = httpx.get(
        f"{sandbox.url}/gmail/v1/users/me/messages/msg-northwind-002", params={"format": "raw"}
    ).json()
    assert "payload" not in resource and resource["raw"]
    assert resource["threadId"] == SEED_LEAD_THREAD_ID


def test_internal_date_matches_the_date_header(gmail: GmailClient, sandbox: SandboxServer) -> None:
    stored = sandbox.workspace.gmail.message("msg-northwind-002").parsed()
    header = parsedate_to_datetime(str(stored["Date"]))
    assert gmail.get_message("msg-northwind-002").date == header
