"""The learning corpus: the operator's Sent mail, stripped and redacted before anything else.

Quoted history and signature blocks go first (`strip_reply`), then the operator's own name
becomes `[OPERATOR]` / `[OPERATOR_FIRST]` (so the sign-off line is still recognisable), then
every other personal or commercial detail is redacted. Nothing downstream sees the raw text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from sales_agent.connectors.gmail import GmailClient
from sales_agent.connectors.gmail_parsing import strip_reply
from sales_agent.connectors.google_api import (
    anonymous_credentials,
    build_google_service,
    sandbox_endpoint,
)
from sales_agent.connectors.records import EmailAddress
from sales_agent.policy.pii import Redactor

__all__ = [
    "OPERATOR_FIRST_TOKEN",
    "OPERATOR_TOKEN",
    "CleanEmail",
    "Corpus",
    "RawEmail",
    "clean_email",
    "clean_emails",
    "fetch_sent",
    "is_held_out",
    "read_messages",
    "sandbox_mailbox",
    "sent_message_ids",
    "split_held_out",
]

OPERATOR_TOKEN = "[OPERATOR]"
OPERATOR_FIRST_TOKEN = "[OPERATOR_FIRST]"
_PAGE_SIZE = 100
_HELD_OUT_BUCKETS = 5  # one bucket in five: a 80 / 20 split


class RawEmail(BaseModel):
    """One sent message as fetched: its id and full plain-text body (never stored)."""

    model_config = ConfigDict(frozen=True)

    id: str
    body: str


class CleanEmail(BaseModel):
    """One sent message after stripping and redaction: `text` is what the learner reads."""

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    signature: str = ""
    """The redacted signature block that `strip_reply` removed (empty when there was none)."""


def sandbox_mailbox(sandbox_url: str, user_id: str) -> GmailClient:
    """A read client on one of the sandbox's mailboxes (its userId is the owner's address)."""
    service = build_google_service(
        "gmail",
        "v1",
        credentials=anonymous_credentials(),
        api_endpoint=sandbox_endpoint(sandbox_url, "gmail", "v1"),
    )
    return GmailClient(service, operator=EmailAddress(email=user_id), user_id=user_id)


def sent_message_ids(gmail: GmailClient, *, limit: int | None, since: date | None) -> list[str]:
    """Ids of the mailbox's Sent messages, newest first, at most `limit`, sent since `since`."""
    query = "in:sent" + (f" after:{since:%Y/%m/%d}" if since else "")
    found: list[str] = []
    token: str | None = None
    while limit is None or len(found) < limit:
        page = gmail.list_messages(query, page_token=token, max_results=_PAGE_SIZE)
        found.extend(ref.id for ref in page.messages)
        token = page.next_page_token
        if not token:
            break
    return found if limit is None else found[:limit]


def read_messages(gmail: GmailClient, message_ids: Sequence[str]) -> list[RawEmail]:
    """The plain-text bodies of `message_ids`, in that order."""
    messages = (gmail.get_message(message_id) for message_id in message_ids)
    return [RawEmail(id=message.id, body=message.body_text) for message in messages]


def fetch_sent(gmail: GmailClient, *, limit: int | None, since: date | None) -> list[RawEmail]:
    """The mailbox's Sent messages, newest first, at most `limit`, sent on or after `since`."""
    return read_messages(gmail, sent_message_ids(gmail, limit=limit, since=since))


def _operator_pattern(operator_name: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    parts = operator_name.split()
    if not parts:
        return None
    full = re.compile(r"\b" + r"\s+".join(map(re.escape, parts)) + r"\b")
    return full, re.compile(rf"\b{re.escape(parts[0])}\b")


def clean_email(raw: RawEmail, redactor: Redactor, operator_name: str) -> CleanEmail:
    """Strip quotes and signature, mark the operator's own name, redact the rest."""
    text = strip_reply(raw.body)
    signature = raw.body[len(text) :] if raw.body.startswith(text) else ""
    patterns = _operator_pattern(operator_name)

    def scrub(value: str) -> str:
        if patterns is not None:
            value = patterns[0].sub(OPERATOR_TOKEN, value)
            value = patterns[1].sub(OPERATOR_FIRST_TOKEN, value)
        return redactor.redact(value).strip()

    return CleanEmail(id=raw.id, text=scrub(text), signature=scrub(signature))


def clean_emails(
    raws: Sequence[RawEmail], redactor: Redactor, operator_name: str
) -> list[CleanEmail]:
    """`clean_email` over a batch, dropping messages with nothing of their own to say."""
    cleaned = (clean_email(raw, redactor, operator_name) for raw in raws)
    return [email for email in cleaned if email.text]


def is_held_out(message_id: str) -> bool:
    """Deterministic: the same message is always on the same side of the split."""
    digest = hashlib.sha256(message_id.encode()).digest()
    return digest[0] % _HELD_OUT_BUCKETS == 0


def split_held_out(
    emails: Sequence[CleanEmail],
) -> tuple[list[CleanEmail], list[CleanEmail]]:
    """(training 80%, held-out 20%) by a hash of each message id."""
    train = [e for e in emails if not is_held_out(e.id)]
    held = [e for e in emails if is_held_out(e.id)]
    return train, held


class Corpus(BaseModel):
    """What a learning run reads, cleaned: the operator's Sent mail and chosen Drive passages."""

    model_config = ConfigDict(frozen=True)

    emails: tuple[CleanEmail, ...]
    """The operator's Sent mail: 80% trains, 20% is held out to measure the profile."""
    documents: tuple[CleanEmail, ...] = ()
    """Paragraphs of Drive documents the operator chose. They only train: the held-out
    metrics measure how the profile fits the operator's mail, and a document paragraph has
    no greeting, ask or sign-off to measure."""

    def training(self) -> list[CleanEmail]:
        """The samples the profile is learned from: training mail, then document paragraphs."""
        return [*split_held_out(self.emails)[0], *self.documents]

    def held_out(self) -> list[CleanEmail]:
        """The Sent mail kept aside to measure the learned profile."""
        return split_held_out(self.emails)[1]
