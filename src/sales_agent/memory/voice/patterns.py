"""Phrasing patterns: the word n-grams the operator keeps using, with frequency and percentile."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence

from sales_agent.domain.learned_voice import PhrasePattern
from sales_agent.memory.voice.text import ngrams

__all__ = ["MIN_PATTERN_COUNT", "email_ngrams", "learn_patterns"]

MIN_PATTERN_COUNT = 3  # "frequency above 2": seen in at least three emails
_MAX_PATTERNS = 80


def email_ngrams(text: str) -> set[str]:
    """The distinct n-grams of one email (counted once per email)."""
    return set(ngrams(text))


def learn_patterns(texts: Sequence[str]) -> tuple[PhrasePattern, ...]:
    """The most frequent phrases seen in at least `MIN_PATTERN_COUNT` emails, commonest first."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(email_ngrams(text))
    if not counts:
        return ()
    ordered = sorted(counts.values())
    frequent = [(gram, n) for gram, n in counts.items() if n >= MIN_PATTERN_COUNT]
    frequent.sort(key=lambda item: (-item[1], -len(item[0]), item[0]))
    total = len(texts)
    return tuple(
        PhrasePattern(
            text=gram,
            count=n,
            share=round(n / total, 4),
            percentile=round(100 * bisect_right(ordered, n) / len(ordered), 2),
        )
        for gram, n in frequent[:_MAX_PATTERNS]
    )
