"""State of the follow-up graph: its input, the domain objects the agents produce, its output.

Domain objects are frozen pydantic models: a node returns new ones, never mutates state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.channels import UntrackedValue
from pydantic import BaseModel, Field

from sales_agent.connectors.records import GmailThread
from sales_agent.domain import (
    Asset,
    Draft,
    GateResult,
    GateStatus,
    GateViolation,
    InjectionFinding,
    MemoryHit,
    NextStepPlan,
    Outcome,
    PlanAction,
    ProposedSlot,
    ResolvedIdentity,
    ThreadContext,
    Trigger,
)
from sales_agent.graph.story_state import STORY_CHECKPOINT_TYPES
from sales_agent.graph.voice_state import VOICE_CHECKPOINT_TYPES

__all__ = [
    "CHECKPOINT_TYPES",
    "Arrival",
    "FollowupInput",
    "FollowupOutput",
    "FollowupState",
    "chat_messages",
    "lead_query",
    "next_draft_version",
]


class FollowupInput(BaseModel):
    """Input of the follow-up graph: `{"trigger": {...}}`."""

    trigger: Trigger


Arrival = Literal["new", "repeat", "superseded", "handled"]
"""What a trigger brought to its thread (see the `trigger` node)."""


class FollowupState(BaseModel):
    """The follow-up graph's working state; each field is written by one node."""

    trigger: Trigger
    arrival: Arrival = Field(
        default="new",
        description="new (a first run, or a newer message after the last run ended), repeat "
        "(nothing new: a redelivery), superseded (a newer message while a draft waits) or "
        "handled (the operator answered from Gmail while a draft waits).",
    )
    identity: ResolvedIdentity | None = None
    topic: str | None = Field(
        default=None,
        description="What the lead wrote about, known before the thread is read (its subject, "
        "the form message): the memory and asset searches run on it in parallel with the read.",
    )
    thread: ThreadContext | None = None
    gmail_thread: Annotated[GmailThread | None, UntrackedValue(GmailThread)] = Field(
        default=None,
        description="The Gmail thread as this run first read it (bodies included), so the "
        "run's later readers reuse it instead of fetching it again. Never checkpointed: a "
        "resumed run or the next trigger reads Gmail afresh and sees any newer message.",
    )
    slots: list[ProposedSlot] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    memory: list[MemoryHit] = Field(default_factory=list)
    contact_facts: list[str] = Field(default_factory=list)
    memory_skipped: str | None = Field(
        default=None, description="Why nothing was recalled (LONG_MEMORY_ENABLED off), if so."
    )
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
    scheduled_send_at: datetime | None = Field(
        default=None, description="SEND_ALLOWED: when the approved draft is booked to go out."
    )
    gmail_draft_id: str | None = None
    draft_record_id: str | None = Field(default=None, description="Row id in our drafts table.")
    outcome: Outcome | None = None
    outcome_reason: str | None = None
    auto_approved: bool = Field(
        default=False,
        description="A follow-up touch approved by AUTO_SEND_FOLLOWUP, not by the operator.",
    )
    messages: list[AnyMessage] = Field(
        default_factory=list,
        description="The lead's message and the draft as chat messages (`chat_messages`), "
        "for chat clients such as Agent Chat UI; written with the draft, read by no node.",
    )

    @property
    def lead_time_zone(self) -> str | None:
        """The zone the lead lives by: the one they wrote their times in, else the CRM's.

        None when neither is known: then their times are read, and slots shown, in the
        operator's zone.
        """
        named = self.thread.time_zone if self.thread else None
        return named or (self.identity.timezone if self.identity else None)


class FollowupOutput(BaseModel):
    """What a run of the follow-up graph returns: how it ended and what it prepared."""

    trigger: Trigger
    identity: ResolvedIdentity | None = None
    thread: ThreadContext | None = None
    plan: NextStepPlan | None = None
    draft: Draft | None = None
    draft_version: int = 1
    writer: str | None = None
    gate: GateResult | None = None
    slots: list[ProposedSlot] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    crm_note_id: str | None = None
    crm_task_id: str | None = None
    gmail_draft_id: str | None = None
    draft_record_id: str | None = None
    sent_message_id: str | None = None
    scheduled_send_at: datetime | None = None
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


def chat_messages(state: FollowupState, draft: Draft) -> list[AnyMessage]:
    """The thread as a chat: the lead's message (as the reader summed it up), then the draft.

    Chat clients open a thread by its `messages`; the ids follow the draft version, so
    writing them again (a retried node, an edit) replaces them rather than adding copies.
    """
    thread = state.thread
    said = thread.summary if thread else state.topic or ""
    subject = thread.subject if thread else None
    version = state.draft_version
    return [
        HumanMessage(content=f"**{subject}**\n\n{said}" if subject else said, id=f"lead-{version}"),
        AIMessage(content=f"**{draft.subject}**\n\n{draft.body}", id=f"draft-{version}"),
    ]


def next_draft_version(state: FollowupState) -> dict[str, object]:
    """The update that starts the thread's next draft: a new version, per-draft fields reset.

    For a newer message on a thread whose draft waited (superseded) or whose last run ended;
    the identity stays, everything read or written for the old draft goes.
    """
    return {
        "thread": None,
        "memory": [],
        "contact_facts": [],
        "memory_skipped": None,
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
        "scheduled_send_at": None,
        "outcome": None,
        "outcome_reason": None,
        "auto_approved": False,
        "messages": [],
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
    HumanMessage,
    AIMessage,
    *VOICE_CHECKPOINT_TYPES,
    *STORY_CHECKPOINT_TYPES,
)
"""Our types stored in checkpoints (every graph's): the only ones the checkpointer may revive."""
