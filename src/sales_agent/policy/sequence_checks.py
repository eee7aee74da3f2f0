"""The checks a due touch passes before it is written: is the lead still one to follow up.

Re-read at due time, whatever the syncs saw before: the suppression list (an opt-out, a
bounce or a complaint, however it got there), the Gmail thread (anyone's reply after our
first touch, or the operator answering from Gmail with a message the agent did not draft),
and the operator's calendar (a meeting with the lead on it since the sequence started).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.connectors import CalendarClient, GmailClient
from sales_agent.connectors.gmail_reply import is_keyed_message_id
from sales_agent.db.sequences import SequenceRow
from sales_agent.domain.sequence import StopReason
from sales_agent.policy.suppression import SuppressionReason, is_suppressed

__all__ = ["MEETING_LOOKAHEAD", "DueCheck", "check_due"]

MEETING_LOOKAHEAD = timedelta(days=90)
"""How far ahead a booked meeting with the lead still counts."""

_SUPPRESSION_STOPS: dict[SuppressionReason, StopReason] = {
    SuppressionReason.OPT_OUT: "unsubscribed",
    SuppressionReason.BOUNCED: "bounced",
    SuppressionReason.COMPLAINT: "complaint",
}


@dataclass(frozen=True)
class DueCheck:
    """What a due touch should do: go, stop (why), hand a reply to the reply flow, or wait."""

    verdict: Literal["go", "stop", "reply", "wait"]
    reason: StopReason | None = None
    detail: str = ""


def _thread_check(gmail: GmailClient, row: SequenceRow, operator: str) -> DueCheck | None:
    thread = gmail.get_thread(row.gmail_thread_id, "metadata")
    sent = [m for m in thread.messages if not m.is_draft]
    ours = [i for i, m in enumerate(sent) if is_keyed_message_id(m.message_id)]
    handled = set(row.handled_message_ids)
    if not ours:
        return DueCheck("wait", detail="the first touch is not sent yet (DRAFT_ONLY)")
    for message in sent[ours[0] + 1 :]:
        if is_keyed_message_id(message.message_id) or message.message_id in handled:
            continue
        if message.sender.email.lower() == operator:
            return DueCheck("stop", "operator_replied", "the operator answered from Gmail")
        return DueCheck("reply", detail=f"a reply on the thread ({message.id})")
    return None


def _meeting_check(
    calendar: CalendarClient, calendar_id: str, row: SequenceRow, now: datetime
) -> DueCheck | None:
    lead = row.contact_email.lower()
    for event in calendar.list_events(calendar_id, row.created_at, now + MEETING_LOOKAHEAD):
        if any(person.email.lower() == lead for person in event.attendees):
            return DueCheck("stop", "meeting_booked", f"{event.start:%Y-%m-%d} on the calendar")
    return None


def check_due(
    conn: Connection[DictRow],
    gmail: GmailClient,
    calendar: CalendarClient,
    *,
    operator_email: str,
    row: SequenceRow,
    now: datetime,
) -> DueCheck:
    """The verdict for `row`'s due touch at `now` (cheapest check first)."""
    entry = is_suppressed(conn, row.contact_email, now=now)
    if entry is not None:
        reason = _SUPPRESSION_STOPS.get(entry.reason, "suppressed")
        return DueCheck("stop", reason, f"on the suppression list ({entry.reason})")
    found = _thread_check(gmail, row, operator_email.lower())
    if found is None:
        found = _meeting_check(calendar, operator_email, row, now)
    return found or DueCheck("go")
