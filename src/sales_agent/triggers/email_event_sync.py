"""Email events from the Gmail history sync: sent, bounced, replied.

Read from the same history records the follow-up sync reads, each event keyed by its kind
and Gmail message (so a re-read history records nothing twice):
- a SENT message carrying our key header is `sent` (our job's send, or the operator sending
  our draft from Gmail);
- a delivery-status notification naming our message (`connectors.gmail_dsn`) is `bounced`
  for each failed recipient, who is suppressed BOUNCED at once; it starts no follow-up;
- mail from the lead on a Gmail thread where our message went out (or answering our
  message's Message-ID) is `replied`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.connectors import GmailClient
from sales_agent.connectors.gmail_dsn import delivery_failure
from sales_agent.connectors.gmail_models import GmailHistoryRecord
from sales_agent.connectors.gmail_reply import IDEMPOTENCY_HEADER
from sales_agent.db.email_events import record_email_event, sent_draft_on_thread
from sales_agent.errors import ConnectorError
from sales_agent.policy.suppression import SuppressionReason, suppress

__all__ = ["EmailEventScan", "record_email_events"]

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"\bsa-[0-9a-f]{32}\b")
_NOT_MAIL = frozenset({"DRAFT", "SPAM", "TRASH"})
# The token is `key_token` (connectors.gmail_reply) of the draft's ledger key
# `<thread>:gmail_draft:<revision>` (nodes._effects.effect_key), computed here in SQL.
_DRAFT_BY_TOKEN = """
SELECT d.id, d.thread_id, d.contact_email,
       (SELECT a.company_id FROM audit_log a WHERE a.thread_id = d.thread_id
          AND a.company_id IS NOT NULL ORDER BY a.id DESC LIMIT 1) AS company_id
FROM drafts d
WHERE 'sa-' || left(encode(sha256(convert_to(
          d.thread_id || ':gmail_draft:' || d.revision, 'UTF8')), 'hex'), 32) = %(token)s
ORDER BY d.revision DESC LIMIT 1
"""


@dataclass(frozen=True)
class EmailEventScan:
    """What reading the new mail for events learnt, so the follow-up sync reads none again."""

    reports: set[str] = field(default_factory=set)
    """Our delivery reports, fully handled here: they start no follow-up."""
    senders: dict[str, str] = field(default_factory=dict)
    """Each other inbound message read here: its sender's address (lower case)."""


def _when(message: Any) -> datetime:
    try:
        sent = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError):
        return datetime.now(UTC)
    return sent if sent.tzinfo else sent.replace(tzinfo=UTC)


def _draft(conn: Connection[DictRow], query: str, **params: str) -> dict[str, Any] | None:
    return conn.execute(query, params).fetchone()


def _event(
    conn: Connection[DictRow], kind: Any, key: str, message_id: str, when: datetime, draft: Any
) -> bool:
    return record_email_event(
        conn,
        event_key=key,
        kind=kind,
        occurred_at=when,
        source="gmail",
        draft_id=str(draft["id"]) if draft else None,
        thread_id=draft["thread_id"] if draft else None,
        contact_email=draft["contact_email"] if draft else None,
        company_id=draft["company_id"] if draft else None,
        gmail_message_id=message_id,
    )


def _sent(conn: Connection[DictRow], gmail: GmailClient, message_id: str) -> None:
    message = message_from_bytes(gmail.get_raw_message(message_id), policy=policy.default)
    found = _TOKEN.search(str(message[IDEMPOTENCY_HEADER] or ""))
    if found is None:
        return  # the operator's own mail, not one of our drafts
    draft = _draft(conn, _DRAFT_BY_TOKEN, token=found.group(0))
    _event(conn, "sent", f"sent:{message_id}", message_id, _when(message), draft)


def _inbound(
    conn: Connection[DictRow], gmail: GmailClient, record: GmailHistoryRecord, operator: str
) -> str | None:
    """Record a bounce or a reply; None for a delivery report of ours, else who wrote."""
    message_id = record.message.id
    raw = gmail.get_raw_message(message_id)
    failure = delivery_failure(raw)
    message = message_from_bytes(raw, policy=policy.default)
    if failure is not None:
        draft = _draft(conn, _DRAFT_BY_TOKEN, token=failure.key_token)
        for recipient in failure.recipients:
            key = f"bounced:{message_id}:{recipient}"
            if _event(conn, "bounced", key, message_id, _when(message), draft):
                suppress(
                    conn,
                    value=recipient,
                    kind="email",
                    reason=SuppressionReason.BOUNCED,
                    actor="agent",
                    source=f"delivery report {message_id} ({failure.status or 'failed'})",
                    thread_id=draft["thread_id"] if draft else None,
                )
        return None
    sender = parseaddr(str(message["From"] or ""))[1].lower()
    if sender == operator.lower():
        return sender
    draft = sent_draft_on_thread(conn, gmail_thread_id=record.message.thread_id)
    answered = _TOKEN.search(f"{message['In-Reply-To'] or ''} {message['References'] or ''}")
    if draft is None and answered is not None:  # a reply the mailbox did not thread
        draft = _draft(conn, _DRAFT_BY_TOKEN, token=answered.group(0))
    if draft is not None:
        _event(conn, "replied", f"replied:{message_id}", message_id, _when(message), draft)
    return sender


def record_email_events(
    conn: Connection[DictRow],
    gmail: GmailClient,
    records: Sequence[GmailHistoryRecord],
    *,
    operator: str,
) -> EmailEventScan:
    """Record what `records` say happened to our mail; what the reads learnt on the way.

    A delivery report is fully handled here (event, suppression), so the follow-up sync
    skips it instead of starting a run on a mailer daemon's message; every other inbound
    message was read here once, so the follow-up sync takes its sender from the scan.
    """
    scan = EmailEventScan()
    for record in records:
        labels = set(record.label_ids if record.type == "labelAdded" else record.message.label_ids)
        if labels & _NOT_MAIL:
            continue
        try:
            if "SENT" in labels:
                _sent(conn, gmail, record.message.id)
            elif record.type == "messageAdded" and "INBOX" in labels:
                sender = _inbound(conn, gmail, record, operator)
                if sender is None:
                    scan.reports.add(record.message.id)
                else:
                    scan.senders[record.message.id] = sender
        except ConnectorError as error:
            if error.status != 404:
                raise
            logger.info("gmail message %s was deleted before it was read", record.message.id)
    return scan
