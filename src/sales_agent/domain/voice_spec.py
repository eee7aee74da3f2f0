"""The spec's `VoiceProfile` keys, derived from our richer profile for its JSON export.

The product spec names a flat profile (`name`, `phrasing_patterns`, `tone`, `common_ctas`,
`do_dont_rules`, `forbidden_words`, `avg_words`, `signature_style`, `learned_at`,
`version`), so an operator's `jq '.phrasing_patterns | .[0:3]'` works on the export. Our
profile keeps what the writer needs and what learning observed; this is a view of it, never
stored, so there is one source of truth.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sales_agent.domain.learned_voice import SignatureStyle, ToneLabel
from sales_agent.domain.voice import VoiceProfile

__all__ = ["DoDontRule", "PhrasingPattern", "SpecVoiceProfile", "export_document", "spec_view"]


class PhrasingPattern(BaseModel):
    """A phrase the operator uses, how many training emails use it, and how distinctive it is."""

    model_config = ConfigDict(frozen=True)

    phrase: str
    frequency: int = Field(description="Training emails that use the phrase.")
    percentile: float = Field(description="Share of all distinct phrases seen at most as often.")


class DoDontRule(BaseModel):
    """A do or don't for the writer."""

    model_config = ConfigDict(frozen=True)

    type: Literal["do", "dont"]
    rule: str


class SpecVoiceProfile(BaseModel):
    """The spec's voice profile keys."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="Whose voice: the name the operator signs with.")
    phrasing_patterns: tuple[PhrasingPattern, ...]
    tone: ToneLabel | None = Field(description="formal, conversational or urgent; None: default.")
    common_ctas: tuple[str, ...] = Field(description="Closing asks used at least twice.")
    do_dont_rules: tuple[DoDontRule, ...]
    forbidden_words: tuple[str, ...]
    avg_words: int = Field(description="The typical (median) body length in words.")
    signature_style: SignatureStyle | None
    learned_at: AwareDatetime | None = Field(description="When this version was stored.")
    version: int


def spec_view(profile: VoiceProfile) -> SpecVoiceProfile:
    """The spec's keys for `profile` (a default profile has no patterns, tone or rules)."""
    learned = profile.learned
    return SpecVoiceProfile(
        name=profile.signature.splitlines()[0].strip() if profile.signature else "",
        phrasing_patterns=tuple(
            PhrasingPattern(phrase=p.text, frequency=p.count, percentile=p.percentile)
            for p in (learned.patterns if learned else ())
        ),
        tone=learned.tone.label if learned else None,
        common_ctas=tuple(cta.text for cta in (learned.ctas if learned else ())),
        do_dont_rules=tuple(
            DoDontRule(type=rule.kind, rule=rule.rule)
            for rule in (learned.rules if learned else ())
        ),
        forbidden_words=profile.forbidden_words,
        avg_words=learned.median_word_count if learned else profile.max_words,
        signature_style=learned.signature_style if learned else None,
        learned_at=profile.learned_at,
        version=profile.version,
    )


def export_document(profile: VoiceProfile) -> dict[str, Any]:
    """The exported JSON: the spec's keys first, our profile's fields beside them.

    The shared keys (`version`, `forbidden_words`, `learned_at`) hold the same values in both,
    so reading the file back as a `VoiceProfile` (`voice validate`) ignores the spec's keys.
    """
    return {**spec_view(profile).model_dump(mode="json"), **profile.model_dump(mode="json")}
