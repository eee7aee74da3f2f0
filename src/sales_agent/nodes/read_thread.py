"""ThreadReaderAgent: what the conversation says (offline: rules, a classifier, extractors)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.connectors import build_reply
from sales_agent.db.crm_mirror import contacts_of_company
from sales_agent.domain import ResolvedIdentity, ThreadContext
from sales_agent.graph.context import FollowupContext, run_clock
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._referral import introduced_first_name, referred_colleagues
from sales_agent.nodes._run_thread import run_thread
from sales_agent.nodes._sequence_thread import sequence_thread
from sales_agent.nodes.model_reader import read_with_model
from sales_agent.nodes.offline.intent_rules import RULED_INTENTS, match_rules
from sales_agent.nodes.offline.lead_detail import lead_detail
from sales_agent.nodes.offline.reader import (
    Reading,
    accepts_our_call,
    clean_reply,
    detect_sentiment,
    key_phrases,
    read_message,
    summarize,
)
from sales_agent.policy.gate_context import inbound_findings, inbound_texts, thread_participants
from sales_agent.policy.suppression import suppressed_among
from sales_agent.services import Services, ServicesProvider

__all__ = ["read_thread"]

_FORM_SURE = 0.5
"""Below this, a form message's classifier reading gives way to what a form is: a new lead."""
_COLLEAGUES_READ = 500
"""CRM contacts of the referrer's company matched against a referral's names, at most."""


@dataclass(frozen=True)
class _Inbound:
    """The message to read, with what the reader must know around it."""

    text: str
    heading: str
    """Its subject (empty for a form's message)."""
    sender: str
    known: frozenset[str]
    """The addresses already on the thread: never an alternative contact or a bounce."""
    ruled_out: frozenset[str]
    """Intents the CRM contradicts (`_ruled_out`)."""


def _reading(services: Services, message: _Inbound, now: datetime) -> tuple[Reading, str | None]:
    """The offline reading, or the model's when one is configured; and a detail, if any.

    The offline safety rules stay a floor under the model: an unsubscribe, a bounce or a
    complaint they recognise is never read as anything else, nor is a mail system's notice
    (a delivery still being tried, a read receipt), which must never read as a bounce. A
    model's reading that the CRM contradicts (`ruled_out`) gives way to the offline one,
    which never reads it.
    """
    text = message.text
    offline = read_message(
        text,
        subject=message.heading,
        sender=message.sender,
        known=message.known,
        now=now,
        ruled_out=message.ruled_out,
    )
    model = services.chat_model
    if model is None:
        return offline, lead_detail(text)
    read = read_with_model(
        model,
        operator_name=services.settings.operator_name,
        text=text,
        subject=message.heading,
        sender=message.sender,
        now=now,
        ruled_out=message.ruled_out,
    )
    sure = offline.confidence == 1.0
    notice = (
        sure
        and offline.intent == "unclear"
        and match_rules(text, subject=message.heading, sender=message.sender) is not None
    )
    floor = (sure and offline.intent in RULED_INTENTS) or notice
    if read is None or floor or read.intent in message.ruled_out:
        return offline, lead_detail(text)
    reading = Reading(
        intent=read.intent,
        confidence=read.confidence,
        language=read.language,
        return_date=read.return_date,
        follow_up_on=read.follow_up_on,
        alternative_contact=read.alternative_contact,
        bounced_address=read.bounced_address,
        proposed_days=tuple(read.proposed_days),
        earliest_time=read.earliest_time,
        latest_time=read.latest_time,
        time_zone=read.time_zone,
    )
    return reading, read.detail


def _from_text(
    services: Services, message: _Inbound, now: datetime, **fields: Any
) -> ThreadContext:
    reading, detail = _reading(services, message, now)
    text = message.text
    return ThreadContext(
        summary=summarize(text) or "No message text.",
        key_topics=tuple(key_phrases([text])),
        sentiment=detect_sentiment(text),
        intent=reading.intent,
        confidence=reading.confidence,
        language=reading.language,
        detail=detail,
        return_date=reading.return_date,
        follow_up_on=reading.follow_up_on,
        alternative_contact=reading.alternative_contact,
        bounced_address=reading.bounced_address,
        proposed_days=reading.proposed_days,
        earliest_time=reading.earliest_time,
        latest_time=reading.latest_time,
        time_zone=reading.time_zone,
        **fields,
    )


def read_thread(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Summarise the thread (Gmail) or the form message; a manual trigger may have neither.

    A sequence touch reads its thread as a follow-up on our own last message.
    """
    trigger = state.trigger
    now = run_clock(runtime)
    svc = services()
    ruled_out = _ruled_out(state.identity)
    if trigger.source == "sequence":
        operator_email = svc.settings.operator_email
        return {"thread": sequence_thread(svc.connectors.gmail, trigger, operator_email)}
    if trigger.source != "gmail":
        if trigger.message:
            lead = trigger.contact_email or ""
            form = _Inbound(trigger.message, "", lead, frozenset({lead.lower()}), ruled_out)
            context = _from_text(
                svc,
                form,
                now,
                last_sender=trigger.contact_email,
                injection_findings=inbound_findings([trigger.message]),
            )
            if context.intent == "unclear" or context.confidence < _FORM_SURE:
                # Filling in the form is the ask: a message we cannot place, or one the
                # classifier reads only weakly as something else, is still a lead.
                context = context.model_copy(update={"intent": "new_lead"})
            return {"thread": context}
        return {"thread": ThreadContext(summary="No earlier conversation.")}
    assert trigger.gmail_thread_id is not None
    thread, _ = run_thread(svc.connectors.gmail, state, trigger.gmail_thread_id)
    operator = svc.settings.operator_email.lower()
    sent = [m for m in thread.messages if not m.is_draft]
    inbound = [m for m in sent if m.sender.email.lower() != operator]
    latest = sent[-1]
    answered = inbound[-1] if inbound else latest
    text = clean_reply(answered.body_text)
    reply = build_reply(thread, operator_email=operator, body_text="")
    participants = thread_participants(thread)
    known = frozenset({operator, *(p.lower() for p in participants)})
    message = _Inbound(text, answered.subject, answered.sender.formatted(), known, ruled_out)
    context = _from_text(
        svc,
        message,
        now,
        last_sender=latest.sender.email,
        last_message_at=latest.date,
        subject=reply.subject,
        gmail_thread_id=thread.id,
        reply_to_message_id=reply.in_reply_to,
        references=tuple(reply.references),
        participants=participants,
        operator_wrote=any(m.sender.email.lower() == operator for m in sent if m is not answered),
        injection_findings=inbound_findings(inbound_texts(thread, operator)),
    )
    if context.intent == "referral":
        context = _with_introduced(svc, state, context, text, answered.sender.email, now)
    if context.intent == "unclear":
        ours = [m for m in sent[: sent.index(answered)] if m.sender.email.lower() == operator]
        if ours and accepts_our_call(text, clean_reply(ours[-1].body_text)):
            context = context.model_copy(update={"intent": "meeting_request"})
    return {"thread": context}


def _ruled_out(identity: ResolvedIdentity | None) -> frozenset[str]:
    """Intents the CRM contradicts: a prospect is not an existing customer.

    Late in a sale a prospect writes as a client would ("the team liked the approach, send
    a quote for the first phase"), and a classifier trained on clients' mail reads it so;
    the CRM knows better. A lead the CRM does not know, or knows as a client, rules out
    nothing.
    """
    if identity is not None and identity.is_prospect:
        return frozenset({"existing_customer"})
    return frozenset()


def _with_introduced(
    services: Services,
    state: FollowupState,
    context: ThreadContext,
    text: str,
    sender: str,
    now: datetime,
) -> ThreadContext:
    """The referral's colleague: whoever the referrer copied in, else whom the reply names.

    Nobody suppressed is ever introduced: an opt-out holds whoever hands the address over.
    """
    operator = services.settings.operator_email.lower()
    copied = tuple(p for p in context.participants if p.lower() not in {operator, sender.lower()})
    company_id = state.identity.company_id if state.identity is not None else None
    named: tuple[str, ...] = ()
    with services.pool.connection() as conn:
        # A message that tries to instruct us never chooses a recipient from its text.
        if not copied and not context.injection_findings:
            colleagues = (
                contacts_of_company(conn, company_id, _COLLEAGUES_READ) if company_id else []
            )
            known = {operator, *context.participants}
            named = referred_colleagues(text, sender=sender, known=known, colleagues=colleagues)
        candidates = copied or named
        if not candidates:
            return context
        suppressed = suppressed_among(conn, [a.lower() for a in candidates], now=now)
    introduced = tuple(a for a in candidates if a.lower() not in suppressed)
    first_name = introduced_first_name(introduced[0], text) if introduced else None
    return context.model_copy(
        update={"introduced": introduced, "introduced_first_name": first_name}
    )
