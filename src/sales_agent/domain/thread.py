"""What the conversation so far says: the ThreadReaderAgent's reading of it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.domain._model import Frozen

__all__ = [
    "INTENTS",
    "NO_PITCH_INTENTS",
    "InjectionFinding",
    "InjectionKind",
    "Intent",
    "ThreadContext",
]


InjectionKind = Literal[
    "role_token",
    "override",
    "addressed_to_ai",
    "send_request",
    "add_link",
    "reveal_request",
    "change_recipient",
]


class InjectionFinding(BaseModel):
    """One instruction-like passage in inbound text."""

    model_config = ConfigDict(frozen=True)

    kind: InjectionKind
    excerpt: str


Intent = Literal[
    "new_lead",
    "meeting_request",
    "pricing_question",
    "asset_request",
    "question",
    "objection",
    "timing",
    "not_interested",
    "unsubscribe",
    "out_of_office",
    "bounce",
    "wrong_person",
    "existing_customer",
    "complaint",
    "referral",
    "confidential_request",
    "unclear",
]
"""What the lead's latest message asks for; `unclear` means the reader could not tell."""

INTENTS: tuple[Intent, ...] = get_args(Intent)
NO_PITCH_INTENTS: frozenset[str] = frozenset(
    {"not_interested", "timing", "complaint", "unsubscribe", "bounce", "out_of_office"}
)
"""Intents that say no, not now, or nobody is there: a meeting ask or pitch is never right."""


class ThreadContext(Frozen):
    """What the conversation so far says, read from Gmail (or from the form message)."""

    summary: str
    last_sender: str | None = None
    key_topics: tuple[str, ...] = ()
    sentiment: Literal["positive", "neutral", "negative"] = "neutral"
    intent: Intent = Field(default="new_lead", description="What the latest message asks for.")
    secondary_intents: tuple[Intent, ...] = Field(
        default=(), description="Other things the same message also does (e.g. a question)."
    )
    confidence: float = Field(
        default=1.0, ge=0.0, le=1.0, description="How sure the reader is of the intent."
    )
    language: str = Field(default="en", description="ISO 639-1 code of the message's language.")
    last_message_at: datetime | None = None
    subject: str | None = Field(default=None, description="Subject of the thread, if any.")
    gmail_thread_id: str | None = None
    reply_to_message_id: str | None = Field(
        default=None, description="RFC 822 Message-ID of the message the draft answers."
    )
    references: tuple[str, ...] = Field(default=(), description="The References chain so far.")
    detail: str | None = Field(
        default=None, description="One concrete detail the lead wrote, quoted in the draft."
    )
    operator_wrote: bool = Field(
        default=False,
        description="The operator wrote on this thread: a reply may thank them for coming back.",
    )
    participants: tuple[str, ...] = Field(
        default=(), description="Addresses on the thread: the only ones a reply may go to."
    )
    injection_findings: tuple[InjectionFinding, ...] = Field(
        default=(),
        description="Instruction-like passages in the inbound text: shown, never obeyed.",
    )
    return_date: date | None = Field(
        default=None, description="When an out-of-office lead is back, if the reply says."
    )
    introduced: tuple[str, ...] = Field(
        default=(),
        description="People a referral introduced: copied on the thread, or named in the "
        "reply (an address at the referrer's domain, a CRM colleague named in full).",
    )
    introduced_first_name: str | None = Field(
        default=None, description="The introduced person's first name, as the reply wrote it."
    )
    follow_up_on: date | None = Field(
        default=None, description="When the lead asked to be contacted again ('in Q2')."
    )
    alternative_contact: str | None = Field(
        default=None,
        description="Someone an auto-reply names in the lead's stead: shown, never written to.",
    )
    bounced_address: str | None = Field(
        default=None, description="The address a delivery failure says could not be reached."
    )
    proposed_days: tuple[str, ...] = Field(
        default=(), description="Weekdays the lead asked to meet on (English names)."
    )
    earliest_time: time | None = Field(
        default=None, description="The lead's 'after 2pm': no slot before this local time."
    )
    latest_time: time | None = Field(
        default=None, description="The lead's 'mornings' or 'before noon': no slot after this."
    )
    time_zone: str | None = Field(
        default=None,
        description="The zone the lead named for their times ('10am Eastern'), else none.",
    )
