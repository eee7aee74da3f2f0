"""Story-pitch campaigns: the story, who it fits, who was skipped and why, and each pitch."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Literal

from pydantic import Field

from sales_agent.domain._model import Frozen
from sales_agent.domain.draft import Draft, GateResult

__all__ = [
    "BulkDecision",
    "CtaKind",
    "EngagementFacts",
    "Persona",
    "Pitch",
    "PitchDecision",
    "PitchStatus",
    "RankedContact",
    "SegmentFit",
    "SkipReason",
    "SkippedContact",
    "StoryCampaign",
    "StoryCampaignCreate",
    "StoryCampaignUpdate",
    "StoryContact",
]


class Persona(enum.StrEnum):
    """The part a contact plays in a purchase, read from the job title."""

    BUYER = "buyer"
    """Decides and owns the budget line: chief executive, managing director, COO, VP."""
    INFLUENCER = "influencer"
    """Shapes the choice from the work itself: heads and managers of operations."""
    TECHNICAL = "technical"
    """Judges how it works: engineering, IT, data, systems."""
    FINANCIAL = "financial"
    """Judges what it costs: CFO, finance, procurement."""


CtaKind = Literal["reply", "call"]
"""A call CTA is offered with 2-3 real slots; a reply CTA is the story's own words."""


class StoryCampaign(Frozen):
    """A story the operator wants to tell a segment of the CRM."""

    id: str
    name: str
    theme: str = ""
    target_persona: Persona | None = None
    target_industry: str | None = None
    key_message: str
    cta: str
    cta_kind: CtaKind = "reply"
    asset_ids: tuple[str, ...] = ()
    active: bool = True
    created_by: str = "system"
    created_at: datetime
    updated_at: datetime


class StoryCampaignCreate(Frozen):
    """What an operator gives to create a campaign."""

    name: str = Field(min_length=1, max_length=200)
    theme: str = Field(default="", max_length=500, description="What the story is about.")
    target_persona: Persona | None = Field(default=None, description="Who it is for, if anyone.")
    target_industry: str | None = Field(default=None, max_length=100)
    key_message: str = Field(min_length=1, max_length=600, description="The one thing to say.")
    cta: str = Field(
        min_length=1, max_length=300, description="The single ask; a question reads best."
    )
    cta_kind: CtaKind = "reply"
    asset_ids: tuple[str, ...] = Field(
        default=(), max_length=5, description="Drive file ids, from the allowlisted folders only."
    )


class StoryCampaignUpdate(Frozen):
    """A change to a campaign: only the fields given change; `active: false` archives it."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    theme: str | None = Field(default=None, max_length=500)
    target_persona: Persona | None = None
    target_industry: str | None = Field(default=None, max_length=100)
    key_message: str | None = Field(default=None, min_length=1, max_length=600)
    cta: str | None = Field(default=None, min_length=1, max_length=300)
    cta_kind: CtaKind | None = None
    asset_ids: tuple[str, ...] | None = Field(default=None, max_length=5)
    active: bool | None = None


class StoryContact(Frozen):
    """A CRM contact as segmentation sees it: who, where, and what company."""

    email: str
    contact_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    company_id: str | None = None
    company_name: str | None = None
    industry: str | None = None
    employees: int | None = None
    stage: str | None = Field(default=None, description="The company's funding stage.")
    city: str | None = None
    lifecycle_stage: str | None = Field(default=None, description="The contact's CRM stage.")


class SegmentFit(Frozen):
    """How a contact fits a story: persona, industry, size, each with a reason a person reads."""

    persona: Persona | None
    industry: str | None
    fit: float = Field(ge=0, le=1)
    reasons: tuple[str, ...]


class EngagementFacts(Frozen):
    """What we know of a contact's history with us (Gmail, the CRM, our own records)."""

    replies: int = Field(default=0, ge=0, description="Messages they sent us.")
    meetings: int = Field(default=0, ge=0, description="Meetings with them on the calendar.")
    crm_stage: str | None = Field(
        default=None, description="The CRM lifecycle stage (an opportunity or customer engaged)."
    )
    last_touch: datetime | None = Field(default=None, description="Our last message to them.")
    stories_pitched: int = Field(default=0, ge=0, description="Earlier stories pitched to them.")
    last_story_at: datetime | None = None
    open_followup: bool = Field(default=False, description="A draft awaits approval for them.")
    sequence: str | None = Field(
        default=None, description="The live follow-up sequence they are in, if any."
    )
    suppressed: str | None = Field(default=None, description="Why they are suppressed, if so.")
    guardrail_block: str | None = Field(default=None, description="The failing rules, if any.")
    pitched_this_story: bool = False


class SkipReason(enum.StrEnum):
    """Why targeting left a contact out; stable codes the stats count."""

    OUT_OF_SEGMENT = "out_of_segment"
    SUPPRESSED = "suppressed"
    GUARDRAIL = "guardrail"
    OPEN_FOLLOWUP = "open_followup"
    IN_SEQUENCE = "in_sequence"
    RECENTLY_TOUCHED = "recently_touched"
    RECENT_STORY = "recent_story"
    ALREADY_PITCHED = "already_pitched"
    QUOTA = "quota"
    OVER_LIMIT = "over_limit"
    GATE_FAILED = "gate_failed"


class SkippedContact(Frozen):
    """A contact left out, and why."""

    email: str
    reason: SkipReason
    detail: str


class RankedContact(Frozen):
    """A contact chosen for the story, with the score and the reason it ranks where it does."""

    contact: StoryContact
    fit: SegmentFit
    engagement: EngagementFacts
    rank_score: float = Field(ge=0, le=1)
    reason: str


PitchStatus = Literal["pending_approval", "approved", "edited", "rejected", "sent", "blocked"]


class Pitch(Frozen):
    """One contact's pitch: the draft, the gate's verdict, and where it went."""

    target: RankedContact
    draft: Draft
    writer: str = Field(description="offline or model")
    detail: str = Field(description="The CRM detail the pitch is made relevant with.")
    gate: GateResult | None = None
    status: PitchStatus | None = None
    gmail_draft_id: str | None = None
    crm_note_id: str | None = None
    sent_message_id: str | None = None
    outcome_reason: str = ""

    @property
    def email(self) -> str:
        """The contact's address (a pitch's key within its story)."""
        return self.target.contact.email


class PitchDecision(Frozen):
    """The operator's decision on one pitch."""

    type: Literal["approve", "edit", "reject"]
    subject: str | None = Field(default=None, description="edit: the new subject, if changed.")
    body: str | None = Field(default=None, description="edit: the new body.")
    reason: str | None = Field(default=None, description="reject: why, for the audit trail.")


class BulkDecision(Frozen):
    """The resume of the bulk approval: a default for every pitch, and per-pitch decisions.

    Approve all: `{"default": "approve"}`. Approve some: `{"default": "reject", "decisions":
    {EMAIL: {"type": "approve"}, ...}}`. Edit one: `{"default": "approve", "decisions":
    {EMAIL: {"type": "edit", "body": "..."}}}`. Keys are the contacts' email addresses.
    """

    default: Literal["approve", "reject"] = "reject"
    decisions: dict[str, PitchDecision] = Field(default_factory=dict)

    def for_email(self, email: str) -> PitchDecision:
        """The decision on the pitch to `email`."""
        found = self.decisions.get(email) or self.decisions.get(email.lower())
        return found if found is not None else PitchDecision(type=self.default)
