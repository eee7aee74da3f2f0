"""The operator's voice profile: how they greet, phrase, ask and sign off.

Until voice learning has run, the writer composes from `default_voice.json`, a profile in
the spirit of the sandbox operator (short paragraphs, plain words, one question, no em-dashes).
A learned profile keeps the same writer fields, filled from the operator's mail where the data
allows (`sources` says which), plus what was observed (`learned`) and measured (`metrics`).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sales_agent.domain.learned_voice import HeldOutMetrics, LearnedVoice

__all__ = ["WRITER_FIELDS", "FieldSource", "VoiceProfile", "default_voice_profile"]

FieldSource = Literal["learned", "default"]
WRITER_FIELDS = (
    "greeting",
    "sign_off",
    "signature",
    "openers",
    "value_lines",
    "cta_templates",
    "fallback_cta",
    "forbidden_words",
    "max_words",
)


class VoiceProfile(BaseModel):
    """A structured, versioned description of the operator's writing voice."""

    model_config = ConfigDict(frozen=True)

    version: int = Field(ge=1, description="Increases with every stored refresh.")
    greeting: str = Field(description="Greeting template with {first_name}.")
    sign_off: str = Field(description="The closing line before the signature.")
    signature: str = Field(description="The name (and lines) under the sign-off.")
    openers: tuple[str, ...] = Field(
        description="First-line phrases; {detail} is the lead's point."
    )
    value_lines: tuple[str, ...] = Field(description="Phrases that say what the operator offers.")
    cta_templates: tuple[str, ...] = Field(
        description="Single-question asks; {slots} is the list of proposed times."
    )
    fallback_cta: str = Field(description="The ask when no slot is free.")
    forbidden_words: tuple[str, ...] = Field(description="Words the operator never uses.")
    max_words: int = Field(default=125, description="Target upper bound for a body.")
    operator_email: str | None = Field(default=None, description="Whose voice; None: default.")
    sources: dict[str, FieldSource] = Field(
        default_factory=dict,
        description="Per writer field: learned from the mail, or kept from the default.",
    )
    avoid_phrases: tuple[str, ...] = Field(
        default=(), description="Phrases the operator deleted in at least two edits."
    )
    prefer_phrases: tuple[str, ...] = Field(
        default=(), description="Phrases the operator added in at least two edits."
    )
    learned: LearnedVoice | None = Field(default=None, description="What learning observed.")
    metrics: HeldOutMetrics | None = Field(default=None, description="Held-out measurement.")
    learned_at: AwareDatetime | None = Field(
        default=None, description="When this version was stored; None: not stored (default)."
    )


@lru_cache(maxsize=1)
def default_voice_profile() -> VoiceProfile:
    """The packaged default profile."""
    text = (files("sales_agent.domain") / "default_voice.json").read_text(encoding="utf-8")
    return VoiceProfile.model_validate_json(text)
