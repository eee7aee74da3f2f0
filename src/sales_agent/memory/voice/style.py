"""Greeting, sign-off, signature style and the do / don't rules, each with its observed rate."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from sales_agent.domain.learned_voice import Observed, SignatureStyle, VoiceRule
from sales_agent.memory.voice.corpus import OPERATOR_FIRST_TOKEN, OPERATOR_TOKEN, CleanEmail
from sales_agent.memory.voice.text import paragraphs
from sales_agent.policy.gate_content import EM_DASH, word_count

__all__ = [
    "body_paragraphs",
    "greeting_form",
    "learn_greeting",
    "learn_rules",
    "learn_sign_off",
    "learn_signature_style",
    "sign_off_of",
]

_MAX_GREETING_WORDS = 4
_MAX_SIGN_OFF_WORDS = 4
# A habit below this rate is one the operator avoids ("don't"); above 1 - this, keeps ("do").
_RARE = 0.05


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def greeting_form(text: str) -> str | None:
    """The greeting as a template (`Hi {first_name},`), or None when the email has none."""
    lines = _lines(text)
    if not lines:
        return None
    first = lines[0]
    if not first.endswith(",") or len(first.split()) > _MAX_GREETING_WORDS:
        return None
    opener = first.split()[0].rstrip(",")
    return f"{opener} {{first_name}}," if len(first.split()) > 1 else f"{opener},"


def sign_off_of(text: str) -> str | None:
    """The closing line above the operator's name (`Cheers,`), or None."""
    lines = _lines(text)
    if len(lines) < 2 or lines[-1] not in (OPERATOR_TOKEN, OPERATOR_FIRST_TOKEN):
        return None
    candidate = lines[-2]
    if candidate.endswith(",") and len(candidate.split()) <= _MAX_SIGN_OFF_WORDS:
        return candidate
    return None


def _commonest(values: Sequence[str | None], total: int) -> Observed | None:
    counts = Counter(v for v in values if v)
    if not counts or total == 0:
        return None
    form, n = counts.most_common(1)[0]
    return Observed(form=form, rate=round(n / total, 4))


def learn_greeting(emails: Sequence[CleanEmail]) -> Observed | None:
    """The commonest greeting template and its rate."""
    return _commonest([greeting_form(e.text) for e in emails], len(emails))


def learn_sign_off(emails: Sequence[CleanEmail]) -> Observed | None:
    """The commonest sign-off line and its rate."""
    return _commonest([sign_off_of(e.text) for e in emails], len(emails))


def learn_signature_style(emails: Sequence[CleanEmail]) -> SignatureStyle:
    """First or full name under the sign-off, and the shape of the block below it."""
    names = Counter(_lines(e.text)[-1] for e in emails if _lines(e.text))
    name_line: Literal["first_name", "full_name", "none"] = "none"
    if names[OPERATOR_FIRST_TOKEN] or names[OPERATOR_TOKEN]:
        first = names[OPERATOR_FIRST_TOKEN] >= names[OPERATOR_TOKEN]
        name_line = "first_name" if first else "full_name"
    blocks = [e.signature for e in emails if e.signature.strip()]
    delimited = sum(b.lstrip().startswith("--") for b in blocks)
    lines = [len([x for x in _lines(b) if x != "--"]) for b in blocks]
    return SignatureStyle(
        name_line=name_line,
        block=len(blocks) * 2 > len(emails),
        block_lines=int(statistics.median(lines)) if lines else 0,
        delimited=delimited * 2 > len(blocks) if blocks else False,
    )


def body_paragraphs(text: str) -> list[str]:
    """Paragraphs between the greeting and the sign-off."""
    blocks = paragraphs(text)
    if blocks and greeting_form(blocks[0]) is not None:
        blocks = blocks[1:]
    if blocks and sign_off_of(blocks[-1]) is not None:
        blocks = blocks[:-1]
    return blocks


def _habit(name: str, rate_using: float, what: str) -> VoiceRule:
    """A "do" when the operator almost always does it, else a "don't" when almost never."""
    if rate_using <= _RARE:
        return VoiceRule(name=name, kind="dont", rule=f"No {what}.", observed_rate=1 - rate_using)
    return VoiceRule(name=name, kind="do", rule=f"Use {what} freely.", observed_rate=rate_using)


def learn_rules(
    emails: Sequence[CleanEmail], greeting: Observed | None, sign_off: Observed | None
) -> tuple[VoiceRule, ...]:
    """Do / don't rules for greeting, sign-off, exclamation marks, paragraphs, em-dashes."""
    total = max(len(emails), 1)
    rules: list[VoiceRule] = []
    if greeting is not None:
        rules.append(
            VoiceRule(
                name="greeting",
                kind="do",
                rule=f"Open with '{greeting.form}'.",
                observed_rate=greeting.rate,
            )
        )
    if sign_off is not None:
        rules.append(
            VoiceRule(
                name="sign_off",
                kind="do",
                rule=f"Close with '{sign_off.form}'.",
                observed_rate=sign_off.rate,
            )
        )
    bangs = sum("!" in e.text for e in emails) / total
    rules.append(_habit("exclamation_marks", round(bangs, 4), "exclamation marks"))
    dashes = sum(EM_DASH in e.text for e in emails) / total
    rules.append(_habit("em_dashes", round(dashes, 4), "em-dashes"))
    lengths = [word_count(p) for e in emails for p in body_paragraphs(e.text)]
    if lengths:
        limit = (
            int(statistics.quantiles(lengths, n=10, method="inclusive")[-1])
            if len(lengths) > 1
            else lengths[0]
        )
        within = sum(n <= limit for n in lengths) / len(lengths)
        rules.append(
            VoiceRule(
                name="paragraph_length",
                kind="do",
                rule=f"Keep paragraphs to {limit} words or fewer.",
                observed_rate=round(within, 4),
            )
        )
    return tuple(rules)
