"""What a follow-up touch reads: our own last message on the lead's quiet Gmail thread.

The lead has not written since (a reply stops the sequence before any touch is due), so
there is nothing of theirs to classify: the touch answers our last message, on the same
thread, to the people we wrote to. A concrete detail the lead gave earlier, if any, is kept
so the follow-up can stay specific.
"""

from __future__ import annotations

from sales_agent.connectors import GmailClient, build_reply
from sales_agent.domain import ThreadContext, Trigger
from sales_agent.nodes.offline.lead_detail import lead_detail
from sales_agent.nodes.offline.reader import clean_reply
from sales_agent.policy.gate_context import thread_participants

__all__ = ["sequence_thread"]


def sequence_thread(gmail: GmailClient, trigger: Trigger, operator_email: str) -> ThreadContext:
    """The thread as a follow-up touch sees it: a reply to our own newest message."""
    assert trigger.gmail_thread_id is not None and trigger.touch is not None
    thread = gmail.get_thread(trigger.gmail_thread_id)
    operator = operator_email.lower()
    sent = [m for m in thread.messages if not m.is_draft]
    theirs = [m for m in sent if m.sender.email.lower() != operator]
    ours = [m for m in sent if m.sender.email.lower() == operator]
    reply = build_reply(thread, operator_email=operator, body_text="")
    last = sent[-1]
    when = f" of {ours[-1].date:%d %b}" if ours else ""
    return ThreadContext(
        summary=f"Follow-up {trigger.touch}: no reply since our last message{when}.",
        last_sender=last.sender.email,
        last_message_at=last.date,
        subject=reply.subject,
        gmail_thread_id=thread.id,
        reply_to_message_id=reply.in_reply_to,
        references=tuple(reply.references),
        participants=thread_participants(thread),
        detail=lead_detail(clean_reply(theirs[-1].body_text)) if theirs else None,
    )
