"""What a model's draft must satisfy before it leaves the writer.

The text checks are the quality gate's own (`content_findings`: length, one ask, em-dash,
forbidden words, links, addresses of other people, other clients), so the writer and the
gate can never disagree on them; this module adds the voice check the gate does not make:
at least `MIN_VOICE_PHRASES` of the operator's phrases, word for word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from sales_agent.domain import Draft
from sales_agent.domain.voice import VoiceProfile
from sales_agent.memory.voice.text import contains_phrase, phrase_key, words
from sales_agent.policy.gate_content import content_findings
from sales_agent.policy.gate_context import GateContext

__all__ = ["MIN_VOICE_PHRASES", "draft_errors", "phrases_used", "voice_phrases"]

MIN_VOICE_PHRASES = 2
_LEARNED_PATTERNS = 10  # the commonest learned phrases; rarer ones say little about a voice
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_EDGE = " ,.;:!?"


def _stems(templates: Iterable[str]) -> Iterator[str]:
    # "Thanks for the note on {detail}." -> "Thanks for the note on": the fixed wording is
    # the voice, the filled-in part is the lead's.
    for template in templates:
        for part in _PLACEHOLDER.split(template):
            stem = part.strip(_EDGE)
            if len(words(stem)) >= 2:
                yield stem


def voice_phrases(voice: VoiceProfile) -> tuple[str, ...]:
    """The phrases that mark the operator's voice, most deliberate first.

    Phrases the operator added in edits, the sign-off, the fixed wording of the openers and
    asks, the value lines and the commonest learned phrases; minus phrases they deleted.
    """
    learned = voice.learned.patterns[:_LEARNED_PATTERNS] if voice.learned else ()
    candidates = [
        *voice.prefer_phrases,
        voice.sign_off.strip(_EDGE),
        *_stems(voice.openers),
        *_stems(voice.cta_templates),
        voice.fallback_cta,
        *voice.value_lines,
        *(p.text for p in learned),
    ]
    avoided = {phrase_key(p) for p in voice.avoid_phrases}
    unique: dict[str, str] = {}
    for phrase in candidates:
        key = phrase_key(phrase)
        if key and key not in avoided:
            unique.setdefault(key, phrase)
    return tuple(unique.values())


def phrases_used(text: str, phrases: Sequence[str]) -> list[str]:
    """The phrases `text` contains, word for word (case and punctuation aside)."""
    return [p for p in phrases if contains_phrase(text, p)]


def draft_errors(draft: Draft, *, ctx: GateContext, phrases: Sequence[str]) -> list[str]:
    """Every reason to refuse `draft`, each with what to do; empty when it is acceptable."""
    errors = [
        f"{f.message}. {f.suggestion}" if f.suggestion else f.message
        for f in content_findings(draft, ctx)
        if f.severity == "error"
    ]
    used = phrases_used(draft.body, phrases)
    if len(used) < MIN_VOICE_PHRASES:
        listed = "; ".join(f'"{p}"' for p in phrases)
        errors.append(
            f"the body uses {len(used)} of the operator's phrases; it needs at least "
            f"{MIN_VOICE_PHRASES}. Use them word for word, from: {listed}"
        )
    return errors
