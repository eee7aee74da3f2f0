"""Delivery-status notifications: our bounces are recognised by our key, others are not."""

from __future__ import annotations

from dsn_message import dsn
from sales_agent.connectors.gmail_dsn import delivery_failure
from sales_agent.connectors.gmail_reply import key_message_id, key_token

KEY = "gmail:thr-1:gmail_draft:1"


def test_a_failed_delivery_of_our_message_is_a_bounce() -> None:
    found = delivery_failure(dsn("Priya@Northwind.example", key_header=key_token(KEY)))
    assert found is not None
    assert found.key_token == key_token(KEY)
    assert found.recipients == ("priya@northwind.example",) and found.status == "5.1.1"


def test_our_message_id_names_it_when_the_key_header_was_dropped() -> None:
    found = delivery_failure(dsn("a@b.example", key_header=None, message_id=key_message_id(KEY)))
    assert found is not None and found.key_token == key_token(KEY)


def test_reports_that_are_not_our_bounces_are_ignored() -> None:
    assert delivery_failure(dsn("a@b.example", key_header=None)) is None  # not our message
    assert delivery_failure(dsn("a@b.example", key_header=key_token(KEY), action="delayed")) is None
    other_report = dsn(
        "a@b.example", key_header=key_token(KEY), report_type="disposition-notification"
    )
    assert delivery_failure(other_report) is None
    assert delivery_failure(b"From: a@b.example\r\nSubject: hi\r\n\r\nno report here\r\n") is None
