"""The quality gate's checks on a draft: hard limits that no draft may pass without.

Pure and fast (no I/O), so the graph and `sales-agent gate check` share one implementation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sales_agent.graph.state import Draft, GateResult, GateStatus, GateViolation

__all__ = ["MAX_WORDS", "check_draft", "count_ctas", "word_count"]

MAX_WORDS = 200
EM_DASH = "\u2014"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z0-9'’]+")
# Asks phrased as statements still ask for something; a second one dilutes the first.
_IMPERATIVE_ASKS = re.compile(
    r"\b(let me know|book (a|some) time|grab a (time|slot)|pick a (time|slot)|"
    r"reply with|schedule a|click (here|the link)|sign up)\b",
    re.IGNORECASE,
)


def word_count(text: str) -> int:
    """Words as a reader counts them (numbers count, punctuation does not)."""
    return len(_WORD.findall(text))


def count_ctas(body: str) -> int:
    """Sentences that ask the reader to do something: questions and imperative asks."""
    sentences = [s.strip() for s in _SENTENCE_END.split(body) if s.strip()]
    return sum(1 for s in sentences if s.endswith("?") or _IMPERATIVE_ASKS.search(s))


def _violations(draft: Draft, forbidden_words: Iterable[str]) -> Iterable[GateViolation]:
    words = word_count(draft.body)
    if words >= MAX_WORDS:
        yield GateViolation(
            check="length",
            severity="error",
            message=f"the body has {words} words; keep it under {MAX_WORDS}",
        )
    ctas = count_ctas(draft.body)
    if ctas != 1:
        yield GateViolation(
            check="cta",
            severity="error",
            message=f"the body has {ctas} calls to action; it needs exactly one",
        )
    if EM_DASH in draft.subject or EM_DASH in draft.body:
        yield GateViolation(
            check="em_dash",
            severity="error",
            message="the draft uses an em-dash; use a comma, a full stop or brackets",
        )
    lowered = f"{draft.subject}\n{draft.body}".lower()
    for word in forbidden_words:
        if re.search(rf"\b{re.escape(word.lower())}\b", lowered):
            yield GateViolation(
                check="forbidden_word",
                severity="error",
                message=f"'{word}' is on the operator's list of words never to use",
            )
    if not draft.to:
        yield GateViolation(
            check="recipient", severity="error", message="the draft has no recipient"
        )


def check_draft(draft: Draft, *, forbidden_words: Iterable[str] = ()) -> GateResult:
    """Run every check; FAIL on any error, WARN on warnings only, else PASS."""
    violations = tuple(_violations(draft, forbidden_words))
    errors = [v for v in violations if v.severity == "error"]
    if errors:
        status, reason = GateStatus.FAIL, "; ".join(v.message for v in errors)
    elif violations:
        status, reason = GateStatus.WARN, "; ".join(v.message for v in violations)
    else:
        status, reason = GateStatus.PASS, "all checks passed"
    return GateResult(status=status, violations=violations, reason=reason)
