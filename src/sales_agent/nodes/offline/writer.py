"""The offline draft writer: composes a reply from the voice profile and the thread's facts.

It picks among the profile's phrasings with a stable hash of the thread, so two leads do not
get the same letter while one lead always gets the same one (runs are reproducible). The
profile's length target holds too: when the letter runs over `max_words`, the generic
intent line goes first, since the opener, the operator's own lines and the ask are the voice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sales_agent.graph.state import Draft, ProposedSlot, ResolvedIdentity, ThreadContext
from sales_agent.memory.voice import VoiceProfile
from sales_agent.policy.gate_content import word_count
from sales_agent.tools.gmail_reply import reply_subject
from sales_agent.tools.meeting_slots import format_slot_list

__all__ = ["write_offline_draft"]

_INTENT_LINES = {
    "meeting_request": "A call is the quickest way to see where the time goes.",
    "pricing_question": "Pricing depends on scope, so a short call lets me give you a real number.",
    "objection": "Fair challenge, and worth ten minutes to see if it applies to you.",
    "new_lead": "I would love to hear a bit more about where things stand today.",
}


def _pick(options: Sequence[str], seed: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{seed}".encode()).digest()
    return options[digest[0] % len(options)]


def _subject(thread: ThreadContext | None, identity: ResolvedIdentity) -> str:
    if thread is not None and thread.subject:
        return reply_subject(thread.subject.strip())
    company = identity.company_name or "your team"
    return f"Quick idea for {company}"


def write_offline_draft(
    *,
    identity: ResolvedIdentity,
    thread: ThreadContext | None,
    slots: Sequence[ProposedSlot],
    voice: VoiceProfile,
    timezone: str,
    seed: str,
) -> Draft:
    """A short, specific reply in the operator's voice with exactly one ask."""
    first_name = identity.first_name or identity.email.split("@", 1)[0].split(".")[0].title()
    detail = thread.detail if thread is not None else None
    intent = thread.intent if thread is not None else "new_lead"
    opener = (
        _pick(voice.openers, seed, "opener").format(detail=detail)
        if detail
        else "Thanks for getting in touch."
    )
    intent_line = _INTENT_LINES.get(intent, _INTENT_LINES["new_lead"])
    value_line = _pick(voice.value_lines, seed, "value")
    if slots:
        ask = _pick(voice.cta_templates, seed, "cta").format(
            slots=format_slot_list(slots, timezone)
        )
    else:
        ask = voice.fallback_cta
    greeting = voice.greeting.format(first_name=first_name)
    closing = f"{voice.sign_off}\n{voice.signature}"
    body = "\n\n".join([greeting, f"{opener} {intent_line}", value_line, ask, closing])
    if word_count(body) > voice.max_words:
        body = "\n\n".join([greeting, opener, value_line, ask, closing])
    return Draft(to=(identity.email,), subject=_subject(thread, identity), body=body)
