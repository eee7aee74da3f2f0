"""The operator inbox's schemas: one family for the draft, what each route takes and returns.

`DraftBase` holds what every view of a draft shows; `DraftPublic` is a draft in a list
(a preview, not the body), `DraftDetail` one draft with its thread's context and audit
trail, `DraftRejection` why it was turned down. `EditBody` and `RespondBody` are the
decisions that carry text. Timestamps are written as Python's `isoformat()` does
(`+00:00`), as the inbox has always answered them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, model_validator

from sales_agent.db.drafts import DraftStatus

__all__ = [
    "MAX_BODY",
    "MAX_MESSAGE",
    "MAX_SUBJECT",
    "DraftAuditEvent",
    "DraftBase",
    "DraftDetail",
    "DraftList",
    "DraftPublic",
    "DraftRejection",
    "EditBody",
    "RespondBody",
]

MAX_SUBJECT = 998  # RFC 5322's line limit
MAX_BODY = 100_000
MAX_MESSAGE = 5_000

Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftBase(_Model):
    """What every view of a draft shows: which lead, which revision, where it stands."""

    id: str = Field(description="The draft's id (a UUID).")
    thread_id: str = Field(description="The graph thread the draft belongs to.")
    revision: int = Field(description="1 for the first draft, one more per rewrite.")
    status: DraftStatus
    contact_email: str = Field(description="The lead's email address.")
    subject: str
    gmail_draft_id: str | None = Field(description="The Gmail draft; None once rejected.")
    gmail_url: str | None = Field(description="Where the operator opens the Gmail draft.")
    created_at: Timestamp
    updated_at: Timestamp


class DraftPublic(DraftBase):
    """A draft in the list: a preview of the body, the gate's verdict and the plan's action."""

    preview: str = Field(description="The body's first 160 characters, whitespace folded.")
    gate_status: str | None = Field(description="PASS, WARN or FAIL.")
    plan_action: str | None = Field(description="What the planner chose, e.g. PROPOSE_CALL.")


class DraftList(_Model):
    """GET /api/drafts: one page of drafts, newest first, with the total across pages."""

    drafts: list[DraftPublic]
    page: int
    page_size: int
    total: int


class DraftAuditEvent(_Model):
    """One audit event of the draft's thread (its hash chain is left out)."""

    id: int
    occurred_at: Timestamp
    actor: str
    action: str
    draft_id: str | None
    contact_email: str | None
    company_id: str | None
    reason: str
    metadata: dict[str, Any]


class DraftDetail(DraftBase):
    """GET /api/drafts/{id}, and what a decision answers: the draft with its context."""

    body: str
    summary: str | None = Field(description="The thread's summary.")
    intent: str | None = Field(description="The inbound mail's intent, e.g. pricing.")
    plan: dict[str, Any] | None = Field(description="The planner's plan.")
    slots: list[dict[str, Any]] = Field(description="The meeting slots offered.")
    assets: list[dict[str, Any]] = Field(description="The files the draft links.")
    gate: dict[str, Any] | None = Field(description="The quality gate's result.")
    writer: str | None = Field(description="model, offline, or offline fallback.")
    revisions: int = Field(description="Rewrites the gate asked for.")
    gmail_thread_id: str | None
    sent_message_id: str | None = Field(description="The sent message, once sent.")
    audit: list[DraftAuditEvent] = Field(description="The thread's audit events, oldest first.")
    audit_total: int = Field(description="Every audit event of the thread (`audit` is capped).")


class DraftRejection(_Model):
    """GET /api/drafts/{id}/rejection: why a rejected or ignored draft was turned down."""

    id: str
    status: DraftStatus
    rejected_by: Literal["gate", "operator"]
    reason: str
    gate_status: str | None
    risk_score: int | None
    violations: list[dict[str, Any]]
    suggestions: list[str]


class EditBody(_Model):
    """POST /api/drafts/{id}/edit: the operator's text; approves the draft as edited."""

    subject: str | None = Field(default=None, max_length=MAX_SUBJECT)
    body: str | None = Field(default=None, max_length=MAX_BODY)

    @model_validator(mode="after")
    def _some_text(self) -> Self:
        if not ((self.subject or "").strip() or (self.body or "").strip()):
            raise ValueError("an edit needs a new subject or body")
        return self


class RespondBody(_Model):
    """POST /api/drafts/{id}/respond: feedback the writer rewrites the draft with."""

    message: str = Field(min_length=1, max_length=MAX_MESSAGE)

    @model_validator(mode="after")
    def _not_blank(self) -> Self:
        if not self.message.strip():
            raise ValueError("a respond needs the operator's feedback as text")
        return self
