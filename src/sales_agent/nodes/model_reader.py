"""The thread reader with a model: a structured reading of the lead's latest message.

One call asks the model for a `ThreadReading` (intent, language, detail, dates, times,
people); the email is data inside a delimited block. Output that does not validate gets one
retry with the errors; a second failure, or a failing model, returns None and the caller
reads offline. The safety-critical rules still have the last word on an unsubscribe, a
bounce or a complaint: a model that misses one must not make the agent write back.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import available_timezones

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError, field_validator

from sales_agent.domain import INTENTS, Intent
from sales_agent.nodes._writer_prompt import defused
from sales_agent.prompts import load_prompt

__all__ = ["ThreadReading", "read_with_model"]

logger = logging.getLogger(__name__)

_DEFINITIONS = {
    "new_lead": "a first enquiry: someone asking for help",
    "meeting_request": "asks to meet or talk, with or without times",
    "pricing_question": "asks what it costs",
    "asset_request": "asks for a case study, report, proposal or deck",
    "question": "a plain question about the service",
    "objection": "doubts, an existing provider, tried before",
    "timing": "'not now', 'ask me in Q2', a budget frozen until later",
    "not_interested": "a plain no",
    "unsubscribe": "asks to stop receiving emails (any wording, any language)",
    "out_of_office": "an automatic out-of-office reply",
    "bounce": "a delivery failure notice",
    "wrong_person": "not their area, or they left the company",
    "existing_customer": "they already work with us",
    "complaint": "angry, 'the fourth email', threatens to report as spam",
    "referral": "points to or copies in a colleague",
    "confidential_request": "asks about other clients, their names or what they paid",
    "unclear": "you cannot tell",
}


class ThreadReading(BaseModel):
    """What the lead's latest email says; leave a field empty when the email does not say."""

    intent: Intent = Field(description="What the latest message asks for (one of the list).")
    confidence: float = Field(ge=0.0, le=1.0, description="How sure you are of the intent.")
    language: str = Field(min_length=2, max_length=2, description="ISO 639-1 code.")
    sentiment: Literal["positive", "neutral", "negative"] = "neutral"
    detail: str | None = Field(
        default=None, max_length=120, description="One concrete thing the lead said."
    )
    return_date: date | None = Field(default=None, description="Back from leave on.")
    follow_up_on: date | None = Field(default=None, description="Contact again on.")
    alternative_contact: str | None = Field(default=None, description="Write to instead.")
    bounced_address: str | None = Field(default=None, description="Could not be reached.")
    proposed_days: list[str] = Field(default_factory=list, description="English weekdays.")
    earliest_time: time | None = Field(default=None, description="No meeting before (HH:MM).")
    latest_time: time | None = Field(default=None, description="Meeting ends by (HH:MM).")
    time_zone: str | None = Field(
        default=None,
        description="IANA zone the lead named for those times (America/New_York), if any.",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        """A zone the model made up is no zone: the operator's applies."""
        if value is None or value not in available_timezones():
            return None
        return value


def _messages(
    operator_name: str,
    text: str,
    subject: str,
    sender: str,
    now: datetime,
    ruled_out: Collection[str],
) -> list[BaseMessage]:
    # What the CRM contradicts is not offered: a prospect is never "already a client".
    offered = (name for name in INTENTS if name not in ruled_out)
    intents = "\n".join(f"- {name}: {_DEFINITIONS[name]}" for name in offered)
    system = load_prompt("reader_system").format(
        operator_name=operator_name, intents=intents, today=now.date().isoformat()
    )
    task = load_prompt("reader_task").format(
        sender=defused(sender), subject=defused(subject), text=defused(text)
    )
    return [SystemMessage(system), HumanMessage(task)]


def read_with_model(
    model: BaseChatModel,
    *,
    operator_name: str,
    text: str,
    subject: str,
    sender: str,
    now: datetime,
    ruled_out: Collection[str] = (),
) -> ThreadReading | None:
    """The model's reading of the email, validated; None when it fails twice or errs.

    `ruled_out` are intents the CRM contradicts: the model is not offered them.
    """
    messages = _messages(operator_name, text, subject, sender, now, ruled_out)
    try:
        reader = model.with_structured_output(ThreadReading, include_raw=True)
    except NotImplementedError:
        logger.warning("the model %s cannot give structured output", type(model).__name__)
        return None
    for _attempt in range(2):
        try:
            answer = reader.invoke(messages)
        except Exception as exc:  # provider errors vary by integration; all mean "read offline"
            logger.warning("reader model call failed: %s", exc)
            return None
        parsed = answer.get("parsed") if isinstance(answer, dict) else None
        if isinstance(parsed, ThreadReading):
            return parsed
        error = answer.get("parsing_error") if isinstance(answer, dict) else None
        problem = str(error) if isinstance(error, ValidationError | Exception) else "no reading"
        messages = [*messages, HumanMessage(load_prompt("reader_retry").format(errors=problem))]
    logger.warning("reader model gave no valid reading twice: reading offline")
    return None
