"""New Gmail mail since the stored history id: start runs, close threads answered in Gmail.

One sync per Pub/Sub notification (or poll): read the mailbox history after the cursor,
decide per Gmail thread what its newest relevant message means, queue one run per thread,
then move the cursor. Inbound mail also pauses the sender's sequences (policy/sequences.py).
An inbound message (INBOX, not from the operator, not a draft or
spam) starts a `gmail` follow-up, or, when a draft already waits on that Gmail thread,
resumes its thread as `superseded`. A message the operator sent from Gmail (SENT) on a
thread whose draft waits resumes it as `handled`: the operator answered, the draft goes.
What happened to our own mail (sent, bounced, replied) is recorded first as email events
(`email_event_sync.py`); a delivery report of ours is handled there and starts no run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.connectors import GmailClient
from sales_agent.connectors.gmail_models import (
    GmailHistoryExpiredError,
    GmailHistoryRecord,
    HistoryType,
)
from sales_agent.db.scheduled_sends import cancel_thread_sends
from sales_agent.domain import Trigger
from sales_agent.jobs.enqueue import enqueue_followup
from sales_agent.jobs.followup_runs import stored_trigger
from sales_agent.policy.audit import record_event as audit_event
from sales_agent.policy.sequences import pause_for_inbound
from sales_agent.services import Services
from sales_agent.triggers.email_event_sync import record_email_events
from sales_agent.triggers.ledger import get_cursor, locked, record_event, seen_event, set_cursor

__all__ = ["GmailSync", "sync_gmail"]

logger = logging.getLogger(__name__)

News = Literal["inbound", "handled"]

_SOURCE: Final = "gmail"
_PAGE = 500  # the largest page users.history.list serves
_HISTORY_TYPES: tuple[HistoryType, ...] = ("messageAdded", "labelAdded")
_NOT_MAIL = frozenset({"DRAFT", "SPAM", "TRASH"})
_WAITING = """
SELECT DISTINCT thread_id FROM drafts
WHERE status = 'pending_approval' AND gmail_thread_id = %(gmail_thread_id)s
ORDER BY thread_id
"""


@dataclass(frozen=True)
class GmailSync:
    """What one sync did: the cursor it stored and the runs it queued."""

    history_id: int
    run_ids: tuple[str, ...] = ()
    baseline: bool = False
    """True when there was no usable cursor: it was set to now and nothing started."""


@dataclass(frozen=True)
class _ThreadNews:
    gmail_thread_id: str
    message_id: str
    news: News
    sender: str | None = None
    """Who wrote an inbound message (its sequences are paused for the reply flow)."""


def sync_gmail(
    services: Services,
    *,
    trace_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> GmailSync:
    """Queue runs for what arrived since the cursor (a push's job, or a poll).

    Returns only once every run is durably queued and the cursor moved. A failure (Gmail or
    the queue away) raises, leaving the cursor where it was, so a retry reads the same
    history again; the messages whose runs were queued are remembered and skipped then.
    """
    with locked(services.pool, _SOURCE) as conn:
        cursor = get_cursor(conn, source=_SOURCE)
        result = _sync(conn, services, cursor, trace_id, metadata or {})
        set_cursor(conn, source=_SOURCE, cursor=str(result.history_id))
        return result


def _sync(
    conn: Connection[DictRow],
    services: Services,
    cursor: str | None,
    trace_id: str | None,
    metadata: dict[str, Any],
) -> GmailSync:
    gmail = services.connectors.gmail
    if cursor is None:
        # The first sync only marks where to start: old mail is not a lead to answer now.
        return GmailSync(history_id=gmail.get_profile().history_id, baseline=True)
    try:
        records, history_id = _history(gmail, int(cursor))
    except GmailHistoryExpiredError:
        logger.warning(
            "gmail history id %s expired (no sync for about a week): starting again from now; "
            "mail that arrived in between starts no follow-up",
            cursor,
        )
        return GmailSync(history_id=gmail.get_profile().history_id, baseline=True)
    operator = services.settings.operator_email
    scan = record_email_events(conn, gmail, records, operator=operator)
    news = [record for record in records if record.message.id not in scan.reports]
    run_ids: list[str] = []
    for item in _latest_per_thread(news, operator, scan.senders):
        key = f"message:{item.message_id}"
        if seen_event(conn, source=_SOURCE, event_id=key):
            continue
        queued = _act(
            conn, services, item, trace_id, {**metadata, "gmail_message_id": item.message_id}
        )
        record_event(conn, source=_SOURCE, event_id=key, run_id=next(iter(queued), None))
        run_ids.extend(queued)
    return GmailSync(history_id=history_id, run_ids=tuple(run_ids))


def _history(gmail: GmailClient, cursor: int) -> tuple[list[GmailHistoryRecord], int]:
    """Every change after `cursor`, oldest first, and the history id to store next."""
    records: list[GmailHistoryRecord] = []
    token: str | None = None
    while True:
        page = gmail.list_history(
            cursor, history_types=_HISTORY_TYPES, page_token=token, max_results=_PAGE
        )
        records.extend(page.records)
        token = page.next_page_token
        if not token:
            return records, page.history_id


def _latest_per_thread(
    records: list[GmailHistoryRecord], operator: str, senders: dict[str, str]
) -> list[_ThreadNews]:
    """One piece of news per Gmail thread: what its newest relevant message means."""
    latest: dict[str, _ThreadNews] = {}
    for record in records:
        found = _news(record, operator, senders)
        if found is not None:
            thread = record.message.thread_id
            latest.pop(thread, None)  # re-insert: the order follows the newest news
            latest[thread] = _ThreadNews(thread, record.message.id, *found)
    return list(latest.values())


def _news(
    record: GmailHistoryRecord, operator: str, senders: dict[str, str]
) -> tuple[News, str | None] | None:
    """What a change means, and who wrote an inbound message.

    The sender comes from the email-event scan, which read each new inbound message already
    (`record_email_events`), so nothing is fetched here.
    """
    if record.type == "labelAdded":
        # A draft the operator sent in place gains SENT; other label changes are not news.
        return ("handled", None) if "SENT" in record.label_ids else None
    labels = set(record.message.label_ids)
    if labels & _NOT_MAIL:
        return None
    if "SENT" in labels:
        return "handled", None
    if "INBOX" not in labels:
        return None
    sender = senders.get(record.message.id)
    if sender is None:
        return None  # deleted before the scan could read it (logged there)
    return None if sender == operator.lower() else ("inbound", sender)


def _cancel_booked_sends(conn: Connection[DictRow], item: _ThreadNews) -> None:
    """A send booked for a later window must not go out once the thread moved on without it.

    The lead wrote (the reply flow answers them) or the operator answered from Gmail: the
    approved message no longer fits the conversation, so its booking is refused, audited.
    """
    if item.sender is None and item.news != "handled":
        return
    why = (
        "the operator answered from Gmail before the send window"
        if item.news == "handled"
        else "the lead wrote before the send window: the reply flow answers them"
    )
    for row in cancel_thread_sends(conn, gmail_thread_id=item.gmail_thread_id, reason=why):
        audit_event(
            conn,
            actor="agent",
            action="send_refused",
            thread_id=row["thread_id"],
            draft_id=row["draft_id"],
            contact_email=row["contact_email"],
            company_id=row["company_id"],
            reason=why,
        )


def _act(
    conn: Connection[DictRow],
    services: Services,
    item: _ThreadNews,
    trace_id: str | None,
    metadata: dict[str, Any],
) -> list[str]:
    """Queue the runs this thread's news calls for; their ids.

    A thread whose draft waits is triggered again with its own trigger (the graph sees the
    newer message or the operator's reply and withdraws the draft); otherwise new inbound
    mail starts a follow-up on the Gmail thread. A waiting follow-up touch is withdrawn, not
    rewritten, so inbound mail on its thread starts the reply flow as well. Inbound mail
    holds the sender's sequences at once (no touch goes out) until the reply flow reads it.
    """
    _cancel_booked_sends(conn, item)
    if item.sender is not None:
        pause_for_inbound(
            conn,
            gmail_thread_id=item.gmail_thread_id,
            sender=item.sender,
            now=datetime.now(UTC),
            actor="agent",
        )
    params = {"gmail_thread_id": item.gmail_thread_id}
    waiting = [row["thread_id"] for row in conn.execute(_WAITING, params)]
    triggers = [t for thread_id in waiting if (t := stored_trigger(services, thread_id))]
    run_ids = [
        enqueue_followup(services, trigger, metadata=metadata, trace_id=trace_id)
        for trigger in triggers
    ]
    if any(trigger.source != "sequence" for trigger in triggers) or item.news == "handled":
        return run_ids  # a handled thread with nothing waiting: nothing to do
    trigger = Trigger(source="gmail", gmail_thread_id=item.gmail_thread_id)
    return [*run_ids, enqueue_followup(services, trigger, metadata=metadata, trace_id=trace_id)]
