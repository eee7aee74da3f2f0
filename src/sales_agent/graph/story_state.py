"""State of the story-pitch graph: its input, what targeting and the writers produce, its output.

`pitches` merges by contact: a node returns only the pitches it changed, and a pitch it
returns replaces the one with the same email (the fan-out's writers each add their own).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from sales_agent.domain import Draft, GateResult, GateStatus, GateViolation, ProposedSlot
from sales_agent.domain.story import (
    EngagementFacts,
    Persona,
    Pitch,
    RankedContact,
    SegmentFit,
    SkippedContact,
    SkipReason,
    StoryCampaign,
    StoryContact,
)

__all__ = [
    "STORY_CHECKPOINT_TYPES",
    "PitchTask",
    "StoryInput",
    "StoryOutcome",
    "StoryOutput",
    "StoryState",
    "merge_pitches",
]

StoryOutcome = Literal["disabled", "archived", "blocked", "dry_run", "no_targets", "done"]


def merge_pitches(left: Sequence[Pitch], right: Sequence[Pitch]) -> list[Pitch]:
    """The pitches of `left` with those of `right` replacing them by contact, in rank order."""
    merged = {pitch.email: pitch for pitch in left}
    merged.update({pitch.email: pitch for pitch in right})
    return sorted(merged.values(), key=lambda p: (-p.target.rank_score, p.email))


class StoryInput(BaseModel):
    """Input of the story-pitch graph."""

    story_id: str
    segment: str = Field(default="all", description="`all` or `persona=...,industry=...`.")
    limit: int = Field(default=20, ge=1, le=500, description="At most this many pitches.")
    dry_run: bool = Field(default=True, description="Previews only: no side effect at all.")


class PitchTask(BaseModel):
    """What one writer of the fan-out gets: the story, its contact, the slots, the asset."""

    story: StoryCampaign
    target: RankedContact
    slots: list[ProposedSlot] = Field(default_factory=list)
    asset_kind: str | None = None


class StoryState(StoryInput):
    """The story-pitch graph's working state."""

    story: StoryCampaign | None = None
    targets: list[RankedContact] = Field(default_factory=list)
    skipped: Annotated[list[SkippedContact], operator.add] = Field(default_factory=list)
    slots: list[ProposedSlot] = Field(default_factory=list)
    asset_kind: str | None = Field(default=None, description="The story's asset, by kind.")
    pitches: Annotated[list[Pitch], merge_pitches] = Field(default_factory=list)
    stats: dict[str, int] = Field(default_factory=dict)
    outcome: StoryOutcome | None = None
    outcome_reason: str | None = None


class StoryOutput(BaseModel):
    """What a run returns: the pitches, who was skipped and why, the stats, how it ended."""

    story_id: str
    dry_run: bool
    pitches: list[Pitch] = Field(default_factory=list)
    skipped: list[SkippedContact] = Field(default_factory=list)
    stats: dict[str, int] = Field(default_factory=dict)
    outcome: StoryOutcome | None = None
    outcome_reason: str | None = None


STORY_CHECKPOINT_TYPES: tuple[type, ...] = (
    Persona,
    StoryCampaign,
    StoryContact,
    SegmentFit,
    EngagementFacts,
    RankedContact,
    SkipReason,
    SkippedContact,
    Pitch,
    PitchTask,
    ProposedSlot,
    Draft,
    GateStatus,
    GateViolation,
    GateResult,
)
"""The story graph's types stored in checkpoints."""
