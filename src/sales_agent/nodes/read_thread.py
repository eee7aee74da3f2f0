"""ThreadReaderAgent: what the conversation says (offline: rules, a classifier, extractors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.connectors import build_reply
from sales_agent.domain import ThreadContext
from sales_agent.graph.context import FollowupContext, run_clock
from sales_agent.graph.state import FollowupState
from sales_agent.nodes.offline.reader import (
    clean_reply,
    detect_sentiment,
    key_phrases,
    lead_detail,
    read_message,
    summarize,
)
from sales_agent.policy.gate_context import inbound_findings, inbound_texts, thread_participants
from sales_agent.services import ServicesProvider

__all__ = ["read_thread"]


def _from_text(
    text: str, now: datetime, *, heading: str, sender: str, known: set[str], **fields: Any
) -> ThreadContext:
    reading = read_message(text, subject=heading, sender=sender, known=known, now=now)
    return ThreadContext(
        summary=summarize(text) or "No message text.",
        key_topics=tuple(key_phrases([text])),
        sentiment=detect_sentiment(text),
        intent=reading.intent,
        confidence=reading.confidence,
        language=reading.language,
        detail=lead_detail(text),
        return_date=reading.return_date,
        follow_up_on=reading.follow_up_on,
        alternative_contact=reading.alternative_contact,
        bounced_address=reading.bounced_address,
        proposed_days=reading.proposed_days,
        earliest_time=reading.earliest_time,
        latest_time=reading.latest_time,
        **fields,
    )


def read_thread(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Summarise the thread (Gmail) or the form message; a manual trigger may have neither."""
    trigger = state.trigger
    now = run_clock(runtime)
    if trigger.source != "gmail":
        if trigger.message:
            lead = trigger.contact_email or ""
            context = _from_text(
                trigger.message,
                now,
                heading="",
                sender=lead,
                known={lead.lower()},
                last_sender=trigger.contact_email,
                injection_findings=inbound_findings([trigger.message]),
            )
            return {"thread": context}
        return {"thread": ThreadContext(summary="No earlier conversation.")}
    svc = services()
    assert trigger.gmail_thread_id is not None
    thread = svc.connectors.gmail.get_thread(trigger.gmail_thread_id)
    operator = svc.settings.operator_email.lower()
    sent = [m for m in thread.messages if not m.is_draft]
    inbound = [m for m in sent if m.sender.email.lower() != operator]
    latest = sent[-1]
    answered = inbound[-1] if inbound else latest
    text = clean_reply(answered.body_text)
    reply = build_reply(thread, operator_email=operator, body_text="")
    participants = thread_participants(thread)
    context = _from_text(
        text,
        now,
        heading=answered.subject,
        sender=answered.sender.formatted(),
        known={operator, *(p.lower() for p in participants)},
        last_sender=latest.sender.email,
        last_message_at=latest.date,
        subject=reply.subject,
        gmail_thread_id=thread.id,
        reply_to_message_id=reply.in_reply_to,
        references=tuple(reply.references),
        participants=participants,
        injection_findings=inbound_findings(inbound_texts(thread, operator)),
    )
    if context.intent == "referral":
        # Whoever the writer copied in (not the operator, not the writer) is being introduced.
        known = {operator, latest.sender.email.lower()}
        introduced = tuple(p for p in participants if p.lower() not in known)
        context = context.model_copy(update={"introduced": introduced})
    return {"thread": context}
