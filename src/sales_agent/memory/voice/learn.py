"""Learn a voice from cleaned emails: pure functions, no I/O, fast enough to rerun at will."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

from sales_agent.domain.learned_voice import LearnedVoice
from sales_agent.memory.voice.corpus import CleanEmail
from sales_agent.memory.voice.ctas import learn_ctas
from sales_agent.memory.voice.patterns import learn_patterns
from sales_agent.memory.voice.sentences import learn_openers, learn_recurring_sentences
from sales_agent.memory.voice.style import (
    learn_greeting,
    learn_rules,
    learn_sign_off,
    learn_signature_style,
)
from sales_agent.memory.voice.text import contains_phrase
from sales_agent.memory.voice.tone import learn_tone
from sales_agent.policy.gate_content import word_count

__all__ = ["learn_voice", "packaged_cliches"]


@lru_cache(maxsize=1)
def packaged_cliches() -> tuple[str, ...]:
    """The packaged sales cliches (comment lines skipped)."""
    text = (files("sales_agent.memory.voice") / "cliches.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def learn_voice(emails: Sequence[CleanEmail]) -> LearnedVoice:
    """Phrasing, tone, CTAs, rules, forbidden words, length and signature of `emails`."""
    texts = [e.text for e in emails]
    corpus = "\n".join(texts)
    greeting = learn_greeting(emails)
    sign_off = learn_sign_off(emails)
    return LearnedVoice(
        emails=len(emails),
        patterns=learn_patterns(texts),
        tone=learn_tone(texts),
        ctas=learn_ctas(texts),
        openers=learn_openers(texts),
        recurring_sentences=learn_recurring_sentences(texts),
        greeting=greeting,
        sign_off=sign_off,
        rules=learn_rules(emails, greeting, sign_off),
        forbidden_words=tuple(c for c in packaged_cliches() if not contains_phrase(corpus, c)),
        median_word_count=int(statistics.median(map(word_count, texts))) if texts else 0,
        signature_style=learn_signature_style(emails),
    )
