"""Length band (50-125 words) and reading grade (Flesch-Kincaid, 6 or below; DESIGN 10).

Syllables come from pyphen's hyphenation dictionaries (no download at run time); the grade is
measured on the message itself, without the greeting line and the sign-off.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen

from sales_agent.evals.evaluators._text import NO_ASK, asks_nothing, core_text
from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Verdict, na, verdict
from sales_agent.policy.quality import word_count

__all__ = ["MAX_GRADE", "READABILITY_EVALUATORS", "WORD_BAND", "reading_grade"]

WORD_BAND = (50, 125)
MAX_GRADE = 6.0
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n")


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def _syllables(word: str) -> int:
    lower = word.lower()
    hyphenated: str = _dictionary().inserted(lower)
    parts = hyphenated.count("-") + 1
    if len(lower) > 5:
        return parts
    # Hyphenation leaves short words whole; their vowel groups count ("idea", "area"),
    # a final silent e does not ("time").
    groups = len(re.findall(r"[aeiouy]+", lower.removesuffix("e") or lower))
    return max(1, parts, min(groups, 2))


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    syllables = sum(_syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def length_band(trace: Trace) -> Verdict:
    """The body is 50 to 125 words: short enough for a phone, long enough to say something."""
    name = "style.length_band"
    draft = trace.outputs.draft
    if draft is None:
        return na(name, "no draft was written")
    if asks_nothing(trace):
        return na(name, NO_ASK)
    words = word_count(draft.body)
    low, high = WORD_BAND
    return verdict(name, low <= words <= high, f"{words} words (band {low}-{high})")


def grade(trace: Trace) -> Verdict:
    """Reading grade 6 or below."""
    name = "style.reading_grade"
    if trace.outputs.draft is None:
        return na(name, "no draft was written")
    score = reading_grade(core_text(trace))
    return verdict(name, score <= MAX_GRADE, f"grade {score:.1f} (target <= {MAX_GRADE:g})")


READABILITY_EVALUATORS = (length_band, grade)
