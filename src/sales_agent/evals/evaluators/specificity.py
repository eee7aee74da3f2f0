"""Specificity: the lead's own detail comes back, and nothing is invented.

A detail the lead stated appears in the draft (when they stated one); no figure that is not on
the thread, no history that never was.
"""

from __future__ import annotations

import re
from itertools import pairwise

from sales_agent.domain.history_claims import CLAIMS_HISTORY
from sales_agent.domain.slots import format_slot_list
from sales_agent.evals.evaluators._text import core_text
from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Verdict, na, verdict

__all__ = ["SPECIFICITY_EVALUATORS", "stated_phrases"]

_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
_STOP = frozenset(
    """a about above after again all also am an and any are as at be been before being but by
    can could dear did do does doing for from had has have having he her here hi hello him his
    how i if in into is it its just kind let like many me more most much my no nor not now of
    off on once only or other our out over own please regards same she should so some such
    than thank thanks that the their them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would
    you your yours best cheers dana team week next time call chat quick sure really""".split()  # noqa: SIM905
)
_WHEN = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday morning afternoon evening
    lunch today tomorrow available let's""".split()  # noqa: SIM905
)
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*%?")


def _content(word: str) -> bool:
    return len(word) > 2 and word.casefold() not in _STOP


def stated_phrases(text: str) -> list[str]:
    """Two-word phrases of content words the lead wrote ("dispatch delays", "yard congestion").

    Days and times are left out: the slot evaluators judge those.
    """
    words = [w for w in _WORD.findall(text) if w.casefold() not in _WHEN]
    return list(
        dict.fromkeys(
            f"{a} {b}".casefold() for a, b in pairwise(words) if _content(a) and _content(b)
        )
    )


def detail(trace: Trace) -> Verdict:
    """When the lead stated something concrete, the draft names at least one piece of it."""
    name = "specificity.detail"
    if trace.outputs.draft is None:
        return na(name, "no draft was written")
    phrases = stated_phrases(trace.context.lead_text)
    if trace.outputs.detail:
        phrases.insert(0, trace.outputs.detail.casefold())
    if not phrases:
        return na(name, "the lead stated no concrete detail")
    body = " ".join(core_text(trace).casefold().split())
    found = [p for p in phrases if p in body]
    if found:
        return verdict(name, True, f"echoes {found[0]!r}")
    return verdict(name, False, f"none of the lead's details, e.g. {phrases[:3]}")


def _allowed_numbers(trace: Trace) -> set[str]:
    voice = trace.context.voice
    sources = [
        trace.context.thread_text,
        trace.outputs.draft.subject if trace.outputs.draft else "",
        *voice.cta_templates,
        *voice.openers,
        *voice.value_lines,
        voice.fallback_cta,
        *(str(asset.get("name", "")) for asset in trace.outputs.assets),
    ]
    if trace.outputs.slots:
        sources.append(format_slot_list(trace.outputs.slots, trace.context.timezone))
        sources += [f"{slot.start:%H:%M %-H:%M %d %-d}" for slot in trace.outputs.slots]
    return {match for text in sources for match in _NUMBER.findall(text)}


def nothing_invented(trace: Trace) -> Verdict:
    """Every figure in the draft is on the thread, and no line claims a past conversation.

    A figure may also come from a slot, an asset's name or a learned phrase.
    """
    name = "specificity.nothing_invented"
    draft = trace.outputs.draft
    if draft is None:
        return na(name, "no draft was written")
    body = core_text(trace)
    invented = [n for n in _NUMBER.findall(body) if n not in _allowed_numbers(trace)]
    claims = [] if trace.context.had_operator_message else CLAIMS_HISTORY.findall(body)
    problems = [*(f"figure {n}" for n in invented), *(f"claims {c!r}" for c in claims)]
    return verdict(name, not problems, "; ".join(problems) or "nothing invented")


SPECIFICITY_EVALUATORS = (detail, nothing_invented)
