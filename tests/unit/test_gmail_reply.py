"""Ledger keys in Gmail headers: short enough never to fold, and compared as unfolded."""

from __future__ import annotations

import base64

from sales_agent.connectors.gmail_reply import (
    IDEMPOTENCY_HEADER,
    carries_key,
    encode_reply,
    key_message_id,
    key_token,
)
from sales_agent.connectors.records import EmailAddress, ReplyDraft

LONG_KEY = "manual:alexandra.konstantinopoulou@longname-logistics.example:gmail_draft:1"


def _raw_headers(key: str) -> list[str]:
    reply = ReplyDraft(
        thread_id=None,
        to=[EmailAddress(email="lead@x.example")],
        cc=[],
        subject="Hello",
        body_text="Hi",
        in_reply_to=None,
        references=[],
        idempotency_key=key,
    )
    raw = base64.urlsafe_b64decode(encode_reply(reply, sender=EmailAddress(email="me@x.example")))
    return raw.decode().split("\n\n", 1)[0].splitlines()


def test_a_long_key_travels_as_a_token_whose_header_line_never_folds() -> None:
    lines = _raw_headers(LONG_KEY)
    [line] = [h for h in lines if h.startswith(IDEMPOTENCY_HEADER)]
    assert line.rstrip("\r") == f"{IDEMPOTENCY_HEADER}: {key_token(LONG_KEY)}"
    assert all(len(h.rstrip("\r")) <= 78 for h in lines), "no header line is folded"
    assert f"Message-ID: {key_message_id(LONG_KEY)}" in [h.rstrip("\r") for h in lines]


def test_a_folded_header_value_matches_once_unfolded() -> None:
    # A key without whitespace folds only before its value, which then comes back with
    # the fold's whitespace in front (as a 60-77 character key did).
    token = key_token(LONG_KEY)
    assert carries_key(f" {token}", LONG_KEY)
    assert carries_key(f"\r\n {LONG_KEY}", LONG_KEY), "a draft made before the token"
    assert carries_key(f"\n\t{LONG_KEY}\r\n", LONG_KEY)
    assert not carries_key(key_token("manual:someone@else.example:gmail_draft:1"), LONG_KEY)
    assert not carries_key(f"{LONG_KEY[:30]} {LONG_KEY[30:]}", LONG_KEY)
