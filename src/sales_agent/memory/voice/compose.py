"""From what was learned to what the writer uses: the profile's writer fields, with sources.

Each writer field is filled from the mail when the data supports it and kept from the
packaged default otherwise; `sources` records which. Phrases the operator's edits taught us
to avoid are filtered out of every choice, and choices with preferred phrases come first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sales_agent.domain.learned_voice import HeldOutMetrics, LearnedVoice
from sales_agent.domain.voice import WRITER_FIELDS, VoiceProfile, default_voice_profile
from sales_agent.memory.voice.ctas import SLOTS
from sales_agent.memory.voice.text import contains_phrase

__all__ = ["build_profile", "choose"]

_MAX_CHOICES = 3
_MIN_WORDS, _MAX_WORDS = 50, 125  # DESIGN section 10: a good draft is 50-125 words
# An ask for a meeting (the writer proposes slots), not for sending a document.
_MEETING_WORDS = ("call", "catch-up", "walk-through", "minutes", "go through", "time")
_OPEN_MEETING_WORDS = ("call", "catch-up", "walk-through", "minutes")


def choose(
    options: Sequence[str], *, avoid: Sequence[str] = (), prefer: Sequence[str] = ()
) -> tuple[str, ...]:
    """`options` without any that use an avoided phrase, those with a preferred one first."""
    kept = [o for o in options if not any(contains_phrase(o, a) for a in avoid)]
    kept.sort(key=lambda o: not any(contains_phrase(o, p) for p in prefer))
    return tuple(kept)


def _is_meeting_ask(cta: str, words: Sequence[str] = _MEETING_WORDS) -> bool:
    return any(word in cta.lower() for word in words)


def _learned_fields(learned: LearnedVoice, operator_name: str) -> dict[str, Any]:
    """Only the writer fields the data supports."""
    fields: dict[str, Any] = {}
    if learned.greeting is not None and "{first_name}" in learned.greeting.form:
        fields["greeting"] = learned.greeting.form
    if learned.sign_off is not None:
        fields["sign_off"] = learned.sign_off.form
    if learned.signature_style.name_line != "none" and operator_name.split():
        first = learned.signature_style.name_line == "first_name"
        fields["signature"] = operator_name.split()[0] if first else operator_name
    if learned.openers:
        fields["openers"] = tuple(o.text for o in learned.openers)
    if learned.recurring_sentences:
        fields["value_lines"] = tuple(s.text for s in learned.recurring_sentences)
    slot_asks = [c.text for c in learned.ctas if SLOTS in c.text and _is_meeting_ask(c.text)]
    if slot_asks:
        fields["cta_templates"] = tuple(slot_asks)
    open_asks = [
        c.text
        for c in learned.ctas
        if SLOTS not in c.text and _is_meeting_ask(c.text, _OPEN_MEETING_WORDS)
    ]
    if open_asks:
        fields["fallback_cta"] = open_asks[0]
    if learned.forbidden_words:
        fields["forbidden_words"] = learned.forbidden_words
    if learned.median_word_count:
        fields["max_words"] = min(_MAX_WORDS, max(_MIN_WORDS, learned.median_word_count * 2))
    return fields


def build_profile(
    learned: LearnedVoice,
    *,
    operator_email: str,
    operator_name: str,
    metrics: HeldOutMetrics | None = None,
    avoid: Sequence[str] = (),
    prefer: Sequence[str] = (),
    version: int = 1,
) -> VoiceProfile:
    """The writer's profile from `learned`, defaults where it is silent, edits applied."""
    default = default_voice_profile()
    learned_fields = _learned_fields(learned, operator_name)
    fields = {name: learned_fields.get(name, getattr(default, name)) for name in WRITER_FIELDS}
    for name in ("openers", "value_lines", "cta_templates"):
        kept = choose(fields[name], avoid=avoid, prefer=prefer)
        fallback = choose(getattr(default, name), avoid=avoid, prefer=prefer)
        fields[name] = (kept or fallback or getattr(default, name))[:_MAX_CHOICES]
    return VoiceProfile(
        version=version,
        operator_email=operator_email,
        sources={n: "learned" if n in learned_fields else "default" for n in WRITER_FIELDS},
        avoid_phrases=tuple(avoid),
        prefer_phrases=tuple(prefer),
        learned=learned,
        metrics=metrics,
        **fields,
    )
