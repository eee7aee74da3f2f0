"""Whole sentences the operator reuses: stock lines, and opening lines as templates.

An opening sentence such as "Following up on late orders, as promised." becomes the template
"Following up on {detail}, as promised." when enough first sentences share its first words;
the writer fills `{detail}` with the thread's point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sales_agent.domain.learned_voice import Counted
from sales_agent.memory.voice.patterns import MIN_PATTERN_COUNT
from sales_agent.memory.voice.style import body_paragraphs
from sales_agent.memory.voice.text import sentences

__all__ = ["learn_openers", "learn_recurring_sentences"]

_PREFIX_WORDS = (6, 5, 4, 3)
_MAX_OPENERS = 4
_MAX_SENTENCES = 8
# A template's prefix must end on a word that a topic can follow ("about {detail}").
_DETAIL_LEADS = frozenset({"on", "about", "for", "re", "regarding", "around", "with"})
# An opener that claims a past event ("following our chat", "as promised") would state a
# fact the thread may not contain: the writer never invents history, so such frames are
# not learned as templates.
_CLAIMS_HISTORY = re.compile(
    r"\b(our|the|last) (chat|call|meeting|conversation|catch-up)\b|"
    r"\bas (discussed|promised|agreed|mentioned)\b|\bwe (spoke|met|talked)\b|"
    r"\b(great|good|nice|lovely) (to (meet|see|speak|chat)|meeting|speaking|chatting)\b",
    re.IGNORECASE,
)


def _clean(sentence: str) -> bool:
    """No placeholder, no digit, no question: safe to reuse verbatim in any draft."""
    return "[" not in sentence and "?" not in sentence and not any(c.isdigit() for c in sentence)


def learn_recurring_sentences(texts: Sequence[str]) -> tuple[Counted, ...]:
    """Body sentences (not asks, nothing specific) found in at least three emails."""
    counts: Counter[str] = Counter()
    for text in texts:
        # After the opening paragraph: the opening reacts to the thread, the rest is the pitch.
        middle = body_paragraphs(text)[1:]
        counts.update({s for p in middle for s in sentences(p) if _clean(s)})
    total = max(len(texts), 1)
    frequent = [(s, n) for s, n in counts.items() if n >= MIN_PATTERN_COUNT]
    frequent.sort(key=lambda item: (-item[1], item[0]))
    return tuple(
        Counted(text=s, count=n, share=round(n / total, 4)) for s, n in frequent[:_MAX_SENTENCES]
    )


def _first_sentences(texts: Sequence[str]) -> list[str]:
    firsts = []
    for text in texts:
        body = body_paragraphs(text)
        if body and (found := sentences(body[0])):
            firsts.append(found[0])
    return firsts


def _template(prefix: str, matching: Sequence[str]) -> str:
    """`prefix {detail}` plus the ending most of the matching sentences share."""
    endings = Counter(s.rsplit(",", 1)[1] if "," in s else "" for s in matching)
    ending, n = endings.most_common(1)[0]
    if ending and n * 2 > len(matching):
        return f"{prefix} {{detail}},{ending}"
    return f"{prefix} {{detail}}."


def learn_openers(texts: Sequence[str]) -> tuple[Counted, ...]:
    """Opening-sentence templates whose first words start at least three emails."""
    firsts = [s for s in _first_sentences(texts) if "?" not in s and s.endswith(".")]
    taken: list[Counted] = []
    used: set[str] = set()
    total = max(len(texts), 1)
    for size in _PREFIX_WORDS:
        counts = Counter(
            " ".join(s.split()[:size]) for s in firsts if s not in used and len(s.split()) > size
        )
        for prefix, n in counts.most_common():
            if n < MIN_PATTERN_COUNT or len(taken) >= _MAX_OPENERS:
                break
            if prefix.split()[-1] not in _DETAIL_LEADS or not _clean(prefix) or ":" in prefix:
                continue
            matching = [s for s in firsts if s.startswith(prefix + " ") and s not in used]
            if len(set(matching)) < MIN_PATTERN_COUNT:
                continue  # a stock sentence repeated, not a frame around varying details
            used.update(matching)
            template = _template(prefix, matching)
            if _CLAIMS_HISTORY.search(template):
                continue
            taken.append(Counted(text=template, count=n, share=round(n / total, 4)))
    return tuple(sorted(taken, key=lambda c: -c.count))
