"""Tone: formal, conversational or urgent, decided by marker phrases and shown with evidence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sales_agent.domain.learned_voice import Tone, ToneLabel

__all__ = ["learn_tone"]

_MARKERS: dict[ToneLabel, dict[str, re.Pattern[str]]] = {
    "formal": {
        m: re.compile(rf"(?<!\w){re.escape(m)}(?!\w)", re.IGNORECASE)
        for m in (
            "dear",
            "kind regards",
            "best regards",
            "yours sincerely",
            "i hope this email finds",
            "thank you so much",
            "i would be delighted",
            "please find",
            "do not hesitate",
            "i would like to",
            "taken the liberty",
        )
    },
    "conversational": {
        m: re.compile(rf"(?<!\w){re.escape(m)}(?!\w)", re.IGNORECASE)
        for m in (
            "hi",
            "hey",
            "cheers",
            "thanks",
            "quick one",
            "happy to",
            "no slides",
            "good to hear",
            "shall i",
            "worth a",
        )
    },
    "urgent": {
        m: re.compile(rf"(?<!\w){re.escape(m)}(?!\w)", re.IGNORECASE)
        for m in (
            "asap",
            "urgent",
            "as soon as possible",
            "right away",
            "deadline",
            "limited time",
            "act now",
            "today only",
            "don't miss",
            "before it's too late",
            "end of day",
        )
    },
}
_EVIDENCE = 3


def learn_tone(texts: Sequence[str]) -> Tone:
    """Score each tone by how often its markers appear; the highest score is the label."""
    total = max(len(texts), 1)
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for tone, markers in _MARKERS.items():
        rates = {m: sum(bool(p.search(t)) for t in texts) / total for m, p in markers.items()}
        scores[tone] = round(10 * sum(rates.values()) / len(rates), 3)
        top = sorted(((r, m) for m, r in rates.items() if r > 0), reverse=True)[:_EVIDENCE]
        evidence[tone] = [f"'{m}' in {r:.0%} of emails" for r, m in top]
    label: ToneLabel = max(_MARKERS, key=lambda tone: scores[tone])
    return Tone(label=label, scores=scores, evidence=evidence)
