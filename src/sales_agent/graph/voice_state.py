"""State and per-run context of the voice_learning graph.

No raw mail is ever in the state: fetch_sent keeps message ids only, and clean reads the
bodies and strips and redacts them in one step, so a checkpoint holds redacted text at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field, field_validator

from sales_agent.domain.voice import VoiceProfile
from sales_agent.memory.voice.corpus import CleanEmail, Corpus
from sales_agent.memory.voice.validate import PiiFinding, ValidationReport

__all__ = [
    "VOICE_CHECKPOINT_TYPES",
    "VoiceLearningContext",
    "VoiceLearningInput",
    "VoiceLearningOutput",
    "VoiceLearningState",
]


@dataclass(frozen=True)
class VoiceLearningContext:
    """Knobs of one run; every field has a default so Studio can start a run with none."""

    actor: str = "agent"
    """Who the audit trail names as the author of the stored version."""


class VoiceLearningInput(BaseModel):
    """Input of the voice_learning graph; every field is optional (`{}` learns from all mail)."""

    limit: int | None = Field(default=None, ge=1, description="At most N Sent emails.")
    since: date | None = Field(default=None, description="Only mail sent on or after this day.")
    drive_doc_ids: list[str] = Field(
        default_factory=list,
        description="Allowlisted Drive documents whose paragraphs are extra training samples.",
    )
    output: str | None = Field(
        default=None, description="Also write the stored profile to this .json file."
    )

    @field_validator("output")
    @classmethod
    def _json_file(cls, value: str | None) -> str | None:
        # A run's input may come from an API caller: never let it overwrite a non-JSON file.
        if value is not None and not value.endswith(".json"):
            raise ValueError(f"output must be a .json file, got {value!r}")
        return value


class VoiceLearningOutput(BaseModel):
    """What a run returns: the validation verdict and, when it passed, the stored version."""

    validation: ValidationReport | None = Field(
        default=None, description="validate: PII check and held-out adherence metrics."
    )
    stored: VoiceProfile | None = Field(
        default=None, description="store: the profile as saved, with its version number."
    )
    profile_json: str | None = Field(default=None, description="export: the stored profile.")


class VoiceLearningState(VoiceLearningInput, VoiceLearningOutput):
    """The graph's working state; each field is written by one node."""

    message_ids: list[str] = Field(
        default_factory=list, description="fetch_sent: the Sent messages to learn from."
    )
    corpus: Corpus | None = Field(default=None, description="clean: stripped, redacted samples.")
    candidate: VoiceProfile | None = Field(
        default=None, description="learn: the new profile, before measurement."
    )
    profile: VoiceProfile | None = Field(
        default=None, description="validate: the candidate with its held-out metrics."
    )


VOICE_CHECKPOINT_TYPES: tuple[type, ...] = (
    CleanEmail,
    Corpus,
    VoiceProfile,
    PiiFinding,
    ValidationReport,
)
"""The voice_learning graph's types stored in checkpoints (see `CHECKPOINT_TYPES`)."""
