"""A recorded run, as the evaluators read it.

What went in, what the agent did, and the context needed to judge it later without the
services (replay re-scores from this alone).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.domain import Draft, ProposedSlot

__all__ = ["RunInfo", "Trace", "TraceContext", "TraceOutputs", "TraceTask", "VoiceSnapshot"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class RunInfo(_Model):
    """The eval run a trace belongs to."""

    started_at: datetime | None = None
    commit: str = "unknown"
    model: str = "offline"
    embeddings: str = "unknown"
    dataset: str = ""
    split: str | None = None


class TraceTask(_Model):
    """A CRM task the run created."""

    id: str
    subject: str = ""
    due: datetime | None = None


class TraceOutputs(_Model):
    """What the agent decided and wrote."""

    intent: str | None = Field(default=None, description="The reader's label, as emitted.")
    detail: str | None = None
    language: str | None = None
    summary: str | None = None
    plan: dict[str, Any] | None = None
    action: str | None = Field(default=None, description="The plan's action; None: no plan.")
    flagged: bool = False
    writer: str | None = None
    draft: Draft | None = None
    gate: dict[str, Any] | None = None
    slots: list[ProposedSlot] = Field(default_factory=list)
    assets: list[dict[str, Any]] = Field(default_factory=list)
    gmail_draft_id: str | None = None
    crm_note_id: str | None = None
    crm_task_id: str | None = None
    tasks: list[TraceTask] = Field(default_factory=list)
    suppressed: bool = False
    recipients: list[str] = Field(default_factory=list)
    interrupt: Any = None
    outcome: str | None = None
    outcome_reason: str | None = None


class VoiceSnapshot(_Model):
    """The voice profile the writer used (the fields the voice evaluators compare with)."""

    version: int = 0
    greeting: str = ""
    sign_off: str = ""
    signature: str = ""
    openers: list[str] = Field(default_factory=list)
    value_lines: list[str] = Field(default_factory=list)
    cta_templates: list[str] = Field(default_factory=list)
    fallback_cta: str = ""
    forbidden_words: list[str] = Field(default_factory=list)


class TraceContext(_Model):
    """What was on the thread and in the CRM: the ground the evaluators judge against."""

    operator_email: str = ""
    timezone: str = "Europe/London"
    lead_email: str | None = None
    lead_first_name: str | None = None
    lead_company: str | None = None
    participants: list[str] = Field(default_factory=list)
    thread_text: str = Field(default="", description="Every sent message on the thread.")
    lead_text: str = Field(default="", description="The lead's latest words, quotes removed.")
    had_operator_message: bool = Field(
        default=False, description="The operator wrote on the thread before this run."
    )
    other_companies: list[str] = Field(
        default_factory=list, description="CRM companies other than the lead's."
    )
    other_people: list[str] = Field(
        default_factory=list, description="CRM people (full names) not on the thread."
    )
    colleagues: list[str] = Field(
        default_factory=list,
        description="Addresses of the lead's company's CRM contacts: a referral may go to them.",
    )
    voice: VoiceSnapshot = Field(default_factory=VoiceSnapshot)


class Trace(_Model):
    """One case's run."""

    case: str
    dataset: str = ""
    split: str | None = None
    lang: str | None = None
    thread_id: str | None = None
    now: datetime
    input: dict[str, Any] = Field(default_factory=dict)
    expect: dict[str, Any] = Field(default_factory=dict)
    node_path: list[str] = Field(default_factory=list)
    node_ms: list[dict[str, Any]] = Field(default_factory=list)
    tool_calls: list[dict[str, Any]] = Field(default_factory=list)
    model_messages: list[dict[str, Any]] = Field(default_factory=list)
    total_ms: float = 0.0
    outputs: TraceOutputs = Field(default_factory=TraceOutputs)
    context: TraceContext = Field(default_factory=TraceContext)
    run: RunInfo = Field(default_factory=RunInfo)
    error: str | None = Field(default=None, description="Why the run failed, if it did.")
