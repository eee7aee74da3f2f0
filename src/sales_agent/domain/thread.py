"""What the conversation so far says: the ThreadReaderAgent's reading of it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.domain._model import Frozen

__all__ = ["InjectionFinding", "InjectionKind", "ThreadContext"]


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


class ThreadContext(Frozen):
    """What the conversation so far says, read from Gmail (or from the form message)."""

    summary: str
    last_sender: str | None = None
    key_topics: tuple[str, ...] = ()
    sentiment: Literal["positive", "neutral", "negative"] = "neutral"
    intent: str = Field(default="new_lead", description="new_lead, meeting_request, pricing...")
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
        default=(), description="People a referral introduced (copied on the thread)."
    )
