"""Voice adherence, against the profile the run wrote with.

The operator's greeting and sign-off, a learned CTA, learned phrasing, and none of the words
the operator never uses.
"""

from __future__ import annotations

import re
import unicodedata

from sales_agent.evals.evaluators._text import NO_ASK, asks_nothing, core_text, template_pattern
from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Verdict, na, verdict

__all__ = ["VOICE_EVALUATORS"]

_NO_DRAFT = "no draft was written"
_QUESTION = re.compile(r"[^.!?\n]*\?")


def greeting(trace: Trace) -> Verdict:
    """The body opens with the operator's greeting (with the lead's first name when known)."""
    name = "voice.greeting"
    draft, voice = trace.outputs.draft, trace.context.voice
    if draft is None:
        return na(name, _NO_DRAFT)
    if not voice.greeting:
        return na(name, "the profile has no greeting")
    first_line = draft.body.strip().splitlines()[0].strip() if draft.body.strip() else ""
    pattern = template_pattern(voice.greeting.replace("{first_name}", "{name}"))
    ok = pattern.fullmatch(first_line) is not None
    expected = voice.greeting
    first_name = trace.context.lead_first_name
    if ok and first_name and "{first_name}" in voice.greeting:
        # The lead's own name, or (a referral) someone the thread introduced by name.
        expected = voice.greeting.replace("{first_name}", first_name)
        named = first_line.casefold() == expected.casefold()
        ok = named or _names_someone_on_thread(
            first_line, voice.greeting, trace.context.thread_text
        )
    return verdict(name, ok, f"opens {first_line!r}, profile {expected!r}")


def _names_someone_on_thread(first_line: str, greeting: str, thread_text: str) -> bool:
    prefix = greeting.split("{first_name}")[0].strip()
    name = first_line.removeprefix(prefix).strip(" ,!")
    folded = unicodedata.normalize("NFKD", thread_text).encode("ascii", "ignore").decode()
    return bool(name) and (name in thread_text or name in folded)


def sign_off(trace: Trace) -> Verdict:
    """The body closes with the operator's sign-off, then their signature."""
    name = "voice.sign_off"
    draft, voice = trace.outputs.draft, trace.context.voice
    if draft is None:
        return na(name, _NO_DRAFT)
    if not voice.sign_off:
        return na(name, "the profile has no sign-off")
    lines = [line.strip() for line in draft.body.strip().splitlines() if line.strip()]
    signature = voice.signature.strip().splitlines()[0] if voice.signature.strip() else ""
    tail = [line.casefold() for line in lines[-4:]]
    ok = voice.sign_off.strip().casefold() in tail
    if ok and signature:
        ok = tail.index(voice.sign_off.strip().casefold()) < len(tail) - 1 and any(
            signature.casefold() in line for line in tail
        )
    return verdict(name, ok, f"ends {lines[-2:]!r}, profile {voice.sign_off!r} {signature!r}")


def cta_template(trace: Trace) -> Verdict:
    """The draft's question is one of the learned CTA templates (or the fallback ask)."""
    name = "voice.cta_template"
    draft, voice = trace.outputs.draft, trace.context.voice
    if draft is None:
        return na(name, _NO_DRAFT)
    if asks_nothing(trace):
        return na(name, NO_ASK)
    templates = [*voice.cta_templates, voice.fallback_cta]
    templates = [t for t in templates if t]
    if not templates:
        return na(name, "the profile has no CTA templates")
    questions = [q.strip() for q in _QUESTION.findall(core_text(trace))]
    if not questions:
        return verdict(name, False, "no question in the draft")
    patterns = [template_pattern(t) for t in templates]
    matched = [q for q in questions if any(p.search(q) for p in patterns)]
    return verdict(name, bool(matched), f"ask {questions[-1]!r}")


def phrasing(trace: Trace) -> Verdict:
    """At least one learned opener or value line appears in the draft."""
    name = "voice.phrasing"
    draft, voice = trace.outputs.draft, trace.context.voice
    if draft is None:
        return na(name, _NO_DRAFT)
    if asks_nothing(trace):
        return na(name, NO_ASK)
    lines = [*voice.openers, *voice.value_lines]
    if not lines:
        return na(name, "the profile has no learned phrasing")
    body = core_text(trace)
    used = [line for line in lines if template_pattern(line).search(body)]
    return verdict(name, bool(used), f"uses {used[:2]}" if used else "no learned phrase")


def forbidden_words(trace: Trace) -> Verdict:
    """None of the operator's forbidden words or phrases."""
    name = "voice.forbidden_words"
    draft, voice = trace.outputs.draft, trace.context.voice
    if draft is None:
        return na(name, _NO_DRAFT)
    text = f"{draft.subject}\n{draft.body}"
    found = [
        word
        for word in voice.forbidden_words
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE)
    ]
    return verdict(name, not found, f"uses {found}" if found else "none")


VOICE_EVALUATORS = (greeting, sign_off, cta_template, phrasing, forbidden_words)
