"""State of the follow-up graph: its input, the domain objects the agents produce, its output.

Domain objects are frozen pydantic models: a node returns new ones, never mutates state.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sales_agent.graph.voice_state import VOICE_CHECKPOINT_TYPES
from sales_agent.memory.hits import MemoryHit
from sales_agent.policy.injection import InjectionFinding

__all__ = [
    "CHECKPOINT_TYPES",
    "Asset",
    "Draft",
    "FollowupInput",
    "FollowupState",
    "GateResult",
    "GateStatus",
    "GateViolation",
    "NextStepPlan",
    "Outcome",
    "PlanAction",
    "ProposedSlot",
    "ResolvedIdentity",
    "ThreadContext",
    "Tone",
    "Trigger",
    "lead_query",
    "next_draft_version",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Trigger(_Frozen):
    """What started the run. The LangGraph thread id is derived from it (`thread_id_for`)."""

    source: Literal["manual", "form", "gmail"] = Field(
        description="manual (an operator asked), form (a HubSpot form submission) or gmail."
    )
    contact_email: str | None = Field(
        default=None, description="The lead's address; required for manual and form triggers."
    )
    gmail_thread_id: str | None = Field(
        default=None, description="The Gmail thread to answer; required for gmail triggers."
    )
    submission_id: str | None = Field(
        default=None, description="The HubSpot form submission id; required for form triggers."
    )
    message: str | None = Field(
        default=None, description="Free text the lead wrote in the form, if any."
    )
    request_id: str | None = Field(
        default=None, description="Optional id that makes a manual trigger distinct."
    )

    @model_validator(mode="after")
    def _required_per_source(self) -> Self:
        missing = {
            "manual": [("contact_email", self.contact_email)],
            "form": [("contact_email", self.contact_email), ("submission_id", self.submission_id)],
            "gmail": [("gmail_thread_id", self.gmail_thread_id)],
        }[self.source]
        absent = [name for name, value in missing if not value]
        if absent:
            raise ValueError(f"a {self.source} trigger needs {', '.join(absent)}")
        if self.contact_email is not None and "@" not in self.contact_email:
            raise ValueError(f"contact_email {self.contact_email!r} is not an email address")
        return self


class ResolvedIdentity(_Frozen):
    """Who the lead is, from the CRM when known."""

    email: str
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    contact_id: str | None = Field(default=None, description="HubSpot contact id, if known.")
    company_id: str | None = Field(default=None, description="HubSpot company id, if known.")
    deal_id: str | None = Field(default=None, description="The lead's open deal, if any.")
    company_name: str | None = None
    company_domain: str | None = None
    industry: str | None = None
    stage: str | None = None
    employees: int | None = None


class ThreadContext(_Frozen):
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


class ProposedSlot(_Frozen):
    """A free 30-minute meeting slot from the operator's calendar."""

    start: datetime
    end: datetime
    reason: str = Field(description="Why this slot, for the operator.")


class Asset(_Frozen):
    """A Drive file worth attaching or linking (an AssetHunter hit)."""

    file_id: str
    name: str
    asset_type: str
    url: str | None = None
    preview: str = Field(default="", description="The best-matching passage, 200 chars.")
    score: float = Field(default=0.0, ge=0.0, le=1.0, description="Relevance, 0 to 1.")


class PlanAction(enum.StrEnum):
    """What the planner decided to do for this lead."""

    SEND_FOLLOWUP = "SEND_FOLLOWUP"
    PROPOSE_CALL = "PROPOSE_CALL"
    SEND_ASSET = "SEND_ASSET"
    NO_ACTION = "NO_ACTION"


Tone = Literal["formal", "conversational"]
Level = Literal["low", "normal", "high"]
Risk = Literal["low", "medium", "high"]


class NextStepPlan(_Frozen):
    """The NextStepPlannerAgent's decision: what to do, how, and why."""

    action: PlanAction
    urgency: Level = "normal"
    risk: Risk = "low"
    tone: Tone = "conversational"
    reason: str
    suggested_cta: str = Field(default="", description="The one ask the draft should make.")
    delay_days: int = Field(default=0, ge=0, description="Days to wait before following up.")
    asset: Asset | None = Field(default=None, description="The asset to send (SEND_ASSET).")
    flag_for_operator: bool = Field(
        default=False, description="Shown prominently at approval (angry reply, injection)."
    )
    follow_up_on: date | None = Field(
        default=None, description="When a HubSpot task should bring the lead back (out of office)."
    )


class Draft(_Frozen):
    """The email the writer proposes."""

    to: tuple[str, ...]
    subject: str
    body: str


class GateStatus(enum.StrEnum):
    """The quality gate's verdict."""

    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"


class GateViolation(_Frozen):
    """One failed or doubtful check."""

    check: str
    severity: Literal["error", "warning"]
    message: str


class GateResult(_Frozen):
    """The quality gate's result for one draft."""

    status: GateStatus
    violations: tuple[GateViolation, ...] = ()
    reason: str = ""
    risk_score: int = Field(default=0, ge=0, le=100, description="Weighted risk, 0 to 100.")
    risk_factors: tuple[str, ...] = Field(default=(), description="Factors behind the score.")
    send_allowed: bool = Field(
        default=False, description="PASS/WARN, SEND_ALLOWED mode and no policy in the way."
    )
    approval_required: bool = Field(
        default=True, description="Always true: a person approves every send."
    )
    suggestions: tuple[str, ...] = Field(default=(), description="What to change, actionable.")


class Outcome(enum.StrEnum):
    """How a run ended."""

    APPROVED = "APPROVED"
    SENT = "SENT"
    """Approved and sent (SEND_ALLOWED, every re-check passed)."""
    EDITED = "EDITED"
    IGNORED = "IGNORED"
    REJECTED = "REJECTED"
    BLOCKED = "BLOCKED"
    """Policy stopped the run before a draft: kill switch, suppression or guardrails."""
    SUPPRESSED = "SUPPRESSED"
    """The lead asked to unsubscribe: suppressed, no draft."""
    NO_ACTION = "NO_ACTION"
    """The planner chose not to write (out of office, a plain no): nothing to approve."""
    SUPERSEDED = "SUPERSEDED"
    """A newer message arrived before approval; the pending draft was withdrawn."""
    HANDLED = "HANDLED"
    """The operator answered from Gmail; the pending draft was withdrawn."""
    EXPIRED = "EXPIRED"
    """Nobody decided within the approval window; the pending draft was withdrawn."""


class FollowupInput(BaseModel):
    """Input of the follow-up graph: `{"trigger": {...}}`."""

    trigger: Trigger


class FollowupState(BaseModel):
    """The follow-up graph's working state; each field is written by one node."""

    trigger: Trigger
    identity: ResolvedIdentity | None = None
    topic: str | None = Field(
        default=None,
        description="What the lead wrote about, known before the thread is read (its subject, "
        "the form message): the memory and asset searches run on it in parallel with the read.",
    )
    thread: ThreadContext | None = None
    slots: list[ProposedSlot] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    memory: list[MemoryHit] = Field(default_factory=list)
    contact_facts: list[str] = Field(default_factory=list)
    plan: NextStepPlan | None = None
    draft: Draft | None = None
    draft_version: int = Field(
        default=1, description="Bumped when a newer message or operator feedback re-drafts."
    )
    revisions: int = Field(default=0, description="Re-writes after a failed gate (max 2).")
    revision_notes: list[str] = Field(
        default_factory=list, description="What the gate or the operator asked to change."
    )
    writer: str | None = Field(default=None, description="model, offline, or offline fallback.")
    gate: GateResult | None = None
    crm_note_id: str | None = None
    crm_task_id: str | None = None
    sent_message_id: str | None = None
    gmail_draft_id: str | None = None
    draft_record_id: str | None = Field(default=None, description="Row id in our drafts table.")
    outcome: Outcome | None = None
    outcome_reason: str | None = None


def lead_query(state: FollowupState) -> str:
    """What the lead is about: their words (subject or form message), industry and company.

    The memory and asset searches ask the same text, so a run embeds it once.
    """
    identity = state.identity
    assert identity is not None
    parts = (state.topic, identity.industry, identity.company_name)
    return " ".join(part for part in parts if part) or identity.email


def next_draft_version(state: FollowupState) -> dict[str, object]:
    """The update that starts the thread's next draft: a new version, per-draft fields reset.

    For a newer message on a thread whose draft waited (superseded) or whose last run ended;
    the identity stays, everything read or written for the old draft goes.
    """
    return {
        "thread": None,
        "memory": [],
        "contact_facts": [],
        "slots": [],
        "assets": [],
        "plan": None,
        "draft": None,
        "gate": None,
        "writer": None,
        "revisions": 0,
        "revision_notes": [],
        "gmail_draft_id": None,
        "draft_record_id": None,
        "crm_note_id": None,
        "crm_task_id": None,
        "sent_message_id": None,
        "outcome": None,
        "outcome_reason": None,
        "draft_version": state.draft_version + 1,
    }


CHECKPOINT_TYPES: tuple[type, ...] = (
    InjectionFinding,
    Trigger,
    ResolvedIdentity,
    ThreadContext,
    ProposedSlot,
    Asset,
    PlanAction,
    NextStepPlan,
    MemoryHit,
    Draft,
    GateStatus,
    GateViolation,
    GateResult,
    Outcome,
    *VOICE_CHECKPOINT_TYPES,
)
"""Our types stored in checkpoints (every graph's): the only ones the checkpointer may revive."""
