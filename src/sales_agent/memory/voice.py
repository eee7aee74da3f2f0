"""The operator's voice profile: how they greet, phrase, ask and sign off.

Until voice learning has run, the writer composes from `default_voice.json`, a profile in
the spirit of the sandbox operator (short paragraphs, plain words, one question, no em-dashes).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["VoiceProfile", "default_voice_profile"]


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


@lru_cache(maxsize=1)
def default_voice_profile() -> VoiceProfile:
    """The packaged default profile."""
    text = (files("sales_agent.memory") / "default_voice.json").read_text(encoding="utf-8")
    return VoiceProfile.model_validate_json(text)
