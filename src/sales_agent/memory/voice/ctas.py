"""Calls to action: each email's closing ask, normalised so that the same ask counts once.

Days and times become `{slots}`, so "Is Tuesday at 15:30 any good?" and "Is Friday at 10:00
any good?" are one CTA, and one the writer can fill with its proposed slots.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sales_agent.domain.learned_voice import Counted
from sales_agent.memory.voice.style import body_paragraphs
from sales_agent.policy.gate_content import cta_sentences

__all__ = ["SLOTS", "closing_ask", "learn_ctas", "normalise_cta"]

SLOTS = "{slots}"
_WHEN = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri"
    r"|tomorrow|today|\d{1,2}[:.]\d{2}|\d{1,2}\s?(?:am|pm)|next week|this week)"
)
# A run of days and times with their joining words: "Tuesday at 15:30 or Thursday morning".
_SLOT_SPAN = re.compile(
    rf"\b{_WHEN}(?:(?:\s+(?:at|or|and|morning|afternoon|,)\s*|\s*,\s*|\s+)+{_WHEN})*"
    r"(?:\s+(?:morning|afternoon))?\b",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_MIN_CTA_COUNT = 2


def normalise_cta(sentence: str) -> str:
    """One spacing, days and times replaced by `{slots}`."""
    return _SPACE.sub(" ", _SLOT_SPAN.sub(SLOTS, sentence)).strip()


def closing_ask(text: str) -> str | None:
    """The last ask in the email's body (the sign-off and greeting left out), normalised."""
    asks = cta_sentences("\n\n".join(body_paragraphs(text)))
    return normalise_cta(asks[-1]) if asks else None


def learn_ctas(texts: Sequence[str]) -> tuple[Counted, ...]:
    """Closing asks used in at least two emails, commonest first."""
    counts = Counter(a for a in map(closing_ask, texts) if a and "[" not in a)
    total = max(len(texts), 1)
    return tuple(
        Counted(text=text, count=n, share=round(n / total, 4))
        for text, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if n >= _MIN_CTA_COUNT
    )
