"""Held-out measurement: how well a profile learned on 80% of the mail fits the other 20%.

Coverage: held-out emails using at least one learned phrase. CTA match: held-out emails whose
closing ask is a learned CTA. Discrimination: for every (operator email, other persona email)
pair, does the profile score the operator's higher (ties count half)?
"""

from __future__ import annotations

from collections.abc import Sequence

from sales_agent.domain.learned_voice import HeldOutMetrics, LearnedVoice
from sales_agent.memory.voice.corpus import CleanEmail
from sales_agent.memory.voice.ctas import closing_ask
from sales_agent.memory.voice.patterns import email_ngrams
from sales_agent.memory.voice.style import greeting_form, sign_off_of
from sales_agent.policy.gate_content import EM_DASH

__all__ = ["measure", "voice_score"]


def voice_score(text: str, learned: LearnedVoice, phrases: frozenset[str]) -> float:
    """How much `text` sounds like the profile: phrase hits plus the habits it keeps."""
    grams = email_ngrams(text)
    score = len(grams & phrases) / max(len(grams), 1)
    if learned.greeting is not None and greeting_form(text) == learned.greeting.form:
        score += 0.1
    if learned.sign_off is not None and sign_off_of(text) == learned.sign_off.form:
        score += 0.1
    for rule in learned.rules:
        if rule.kind == "dont" and rule.name == "exclamation_marks" and "!" in text:
            score -= 0.1
        if rule.kind == "dont" and rule.name == "em_dashes" and EM_DASH in text:
            score -= 0.1
    return score


def _pairwise_accuracy(ours: Sequence[float], theirs: Sequence[float]) -> float:
    wins = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in ours for b in theirs)
    return round(wins / (len(ours) * len(theirs)), 4)


def measure(
    learned: LearnedVoice,
    *,
    train_emails: int,
    held_out: Sequence[CleanEmail],
    persona: Sequence[CleanEmail] = (),
) -> HeldOutMetrics:
    """Coverage, CTA match rate and (with another persona's mail) discrimination accuracy."""
    phrases = frozenset(p.text for p in learned.patterns)
    ctas = {c.text for c in learned.ctas}
    covered = sum(bool(email_ngrams(e.text) & phrases) for e in held_out)
    asks = [a for a in (closing_ask(e.text) for e in held_out) if a]
    discrimination = None
    if held_out and persona:
        ours = [voice_score(e.text, learned, phrases) for e in held_out]
        theirs = [voice_score(e.text, learned, phrases) for e in persona]
        discrimination = _pairwise_accuracy(ours, theirs)
    return HeldOutMetrics(
        train_emails=train_emails,
        held_out_emails=len(held_out),
        coverage=round(covered / len(held_out), 4) if held_out else 0.0,
        cta_match_rate=round(sum(a in ctas for a in asks) / len(asks), 4) if asks else 0.0,
        discrimination_accuracy=discrimination,
        persona_emails=len(persona),
    )
