"""MIME walking, HTML to text and reply construction on hand-made Gmail resources."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any

import pytest

from sales_agent.connectors.gmail_parsing import body_text, html_to_text, parse_message
from sales_agent.connectors.gmail_reply import build_reply, encode_reply, reply_subject
from sales_agent.connectors.records import EmailAddress, GmailMessage, GmailThread

OPERATOR = EmailAddress(email="dana@chaingepartners.example", name="Dana Reyes")
LEAD = EmailAddress(email="priya@northwind-logistics.example", name="Priya Natarajan")


def _data(text: str, charset: str = "utf-8", *, padded: bool = True) -> str:
    encoded = base64.urlsafe_b64encode(text.encode(charset)).decode()
    return encoded if padded else encoded.rstrip("=")


def _leaf(mime_type: str, text: str, *, charset: str = "utf-8", **extra: Any) -> dict[str, Any]:
    return {
        "mimeType": mime_type,
        "filename": extra.get("filename", ""),
        "headers": [{"name": "Content-Type", "value": f"{mime_type}; charset={charset}"}],
        "body": {"data": _data(text, charset, padded=extra.get("padded", True))},
    }


def _multipart(subtype: str, *parts: dict[str, Any]) -> dict[str, Any]:
    return {
        "mimeType": f"multipart/{subtype}",
        "filename": "",
        "body": {"size": 0},
        "parts": list(parts),
    }


def _message(**changes: Any) -> GmailMessage:
    base: dict[str, Any] = {
        "id": "m1",
        "thread_id": "t1",
        "message_id": "<m1@example>",
        "sender": LEAD,
        "to": [OPERATOR],
        "subject": "Dispatch",
        "date": datetime(2026, 1, 5, 9, tzinfo=UTC),
        "body_text": "hello",
    }
    return GmailMessage(**{**base, **changes})


def test_html_to_text_keeps_paragraphs_and_drops_markup() -> None:
    markup = (
        "<html><head><style>p {color: red}</style><title>x</title></head><body>"
        "<p>Hi&nbsp;Priya,</p><div>Cut delays by <b>38%</b> &mdash; really.<br>Line two</div>"
        "<script>alert(1)</script><ul><li>one</li><li>two</li></ul></body></html>"
    )
    assert html_to_text(markup) == "Hi Priya,\n\nCut delays by 38% — really.\nLine two\n\none\ntwo"


def test_html_to_text_sets_table_cells_apart() -> None:
    markup = (
        "<table><tr><th>Field</th><th>Value</th></tr>"
        "<tr><td><b>E-mail</b></td><td>ines.varga@example.org</td></tr>"
        "<tr><td>Phone</td><td></td></tr></table><p>Sent by the site</p>"
    )
    assert html_to_text(markup) == (
        "Field Value\nE-mail ines.varga@example.org\nPhone\n\nSent by the site"
    )


def test_body_prefers_plain_text_in_nested_multipart() -> None:
    payload = _multipart(
        "mixed",
        _multipart("alternative", _leaf("text/html", "<p>HTML</p>"), _leaf("text/plain", "Plain")),
        _leaf("text/plain", "attached notes", filename="notes.txt"),
    )
    assert body_text(payload) == "Plain"


def test_body_falls_back_to_html_and_handles_charset_and_padding() -> None:
    html_only = _multipart("alternative", _leaf("text/html", "<p>Caf&eacute; ok</p>"))
    assert body_text(html_only) == "Café ok"
    latin = _leaf("text/plain", "Crème brûlée", charset="latin-1", padded=False)
    assert body_text(latin) == "Crème brûlée"
    assert body_text(_multipart("mixed", _leaf("image/png", "x", filename="a.png"))) == ""


def test_parse_message_reads_headers_and_utc_date() -> None:
    headers = [
        {"name": "From", "value": '"Natarajan, Priya" <priya@northwind-logistics.example>'},
        {"name": "To", "value": "Dana Reyes <dana@chaingepartners.example>, ops@northwind.example"},
        {"name": "CC", "value": "Sam <sam@northwind-logistics.example>"},
        {"name": "Subject", "value": "Re: Dispatch"},
        {"name": "Message-Id", "value": " <b@x> "},
        {"name": "In-Reply-To", "value": "<a@x>"},
        {"name": "References", "value": "<z@x>\r\n <a@x>"},
    ]
    resource = {
        "id": "m2",
        "threadId": "t1",
        "labelIds": ["INBOX"],
        "internalDate": "1767603600000",
        "payload": {**_leaf("text/plain", "Hello\n"), "headers": headers},
    }
    message = parse_message(resource)
    assert message.sender == EmailAddress(
        email="priya@northwind-logistics.example", name="Natarajan, Priya"
    )
    assert [a.email for a in message.to] == [
        "dana@chaingepartners.example",
        "ops@northwind.example",
    ]
    assert [a.name for a in message.cc] == ["Sam"]
    assert (message.message_id, message.in_reply_to) == ("<b@x>", "<a@x>")
    assert message.references == ["<z@x>", "<a@x>"]
    assert message.date == datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert message.body_text == "Hello"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Dispatch", "Re: Dispatch"),
        ("Re: Dispatch", "Re: Dispatch"),
        ("RE:Dispatch", "RE:Dispatch"),
        ("", "Re:"),
    ],
)
def test_reply_subject_is_not_doubled(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def test_build_reply_answers_the_last_lead_message_and_ignores_drafts() -> None:
    sam = EmailAddress(email="sam@northwind-logistics.example")
    thread = GmailThread(
        id="t1",
        messages=[
            _message(id="m1", message_id="<1@x>", sender=OPERATOR, to=[LEAD], subject="Dispatch"),
            _message(
                id="m2",
                message_id="<2@x>",
                in_reply_to="<1@x>",
                cc=[sam, OPERATOR],
                subject="Re: Dispatch",
            ),
            _message(
                id="m3",
                message_id="<3@x>",
                sender=OPERATOR,
                label_ids=["DRAFT"],
                subject="Re: Dispatch",
            ),
        ],
    )
    reply = build_reply(thread, operator_email="DANA@chaingepartners.example", body_text="Thanks")
    assert reply.thread_id == "t1"
    assert reply.to == [LEAD]
    assert reply.cc == [sam]
    assert reply.subject == "Re: Dispatch"
    assert reply.in_reply_to == "<2@x>"
    # m2 had no References header: its In-Reply-To stands in for it (RFC 5322).
    assert reply.references == ["<1@x>", "<2@x>"]


def test_build_reply_follows_up_when_only_we_have_written() -> None:
    thread = GmailThread(id="t1", messages=[_message(sender=OPERATOR, to=[LEAD, OPERATOR])])
    reply = build_reply(thread, operator_email=OPERATOR.email, body_text="Following up")
    assert reply.to == [LEAD]
    assert reply.references == ["<m1@example>"]


def test_build_reply_needs_someone_to_answer() -> None:
    with pytest.raises(ValueError, match="no sent message"):
        build_reply(GmailThread(id="t1", messages=[]), operator_email=OPERATOR.email, body_text="x")
    only_us = GmailThread(id="t1", messages=[_message(sender=OPERATOR, to=[OPERATOR])])
    with pytest.raises(ValueError, match="nobody to reply to"):
        build_reply(only_us, operator_email=OPERATOR.email, body_text="x")


def test_encode_reply_is_rfc822_with_threading_headers() -> None:
    thread = GmailThread(id="t1", messages=[_message(references=["<0@x>"], in_reply_to="<0@x>")])
    reply = build_reply(thread, operator_email=OPERATOR.email, body_text="Café at 3?")

    raw = base64.urlsafe_b64decode(encode_reply(reply, sender=OPERATOR))
    mime = message_from_bytes(raw, policy=policy.default)

    assert mime["From"] == "Dana Reyes <dana@chaingepartners.example>"
    assert mime["To"] == "Priya Natarajan <priya@northwind-logistics.example>"
    assert mime["Subject"] == "Re: Dispatch"
    assert mime["In-Reply-To"] == "<m1@example>"
    assert mime["References"] == "<0@x> <m1@example>"
    assert mime.get_content().strip() == "Café at 3?"
