"""The gate's checks on what a draft says: length, one ask, style, tone, links, leaks.

Pure functions of the draft and its `GateContext`; patterns are compiled once (lists from
the context once per distinct list), so a draft is judged in well under a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sales_agent.domain import NO_PITCH_INTENTS, Draft
from sales_agent.policy._gate_finding import Finding
from sales_agent.policy.gate_context import GateContext
from sales_agent.policy.pii_patterns import (
    AMOUNT,
    DOMAIN,
    EMAIL,
    PHONE,
    URL,
    is_phone,
    link_host,
    literal_alternation,
    phone_key,
)

__all__ = ["EM_DASH", "MAX_WORDS", "content_findings", "count_ctas", "cta_sentences", "word_count"]

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
_CASUAL_GREETING = re.compile(r"^\s*(?:hey|hiya|yo|howdy)\b", re.IGNORECASE)
_CASUAL = re.compile(
    r"\b(?:lol|btw|gonna|wanna|awesome|no worries|super excited)\b"
    r"|(?<!\w)[:;]-?[)D](?!\w)|[\u2600-\u27bf\U0001f300-\U0001faff]",
    re.IGNORECASE,
)
_STIFF = re.compile(
    r"\b(?:dear sir|dear madam|to whom it may concern|yours faithfully|yours sincerely|"
    r"herewith|hereby|pursuant to)\b",
    re.IGNORECASE,
)
# How far from a company's name a figure counts as "theirs".
_FIGURE_WINDOW = 80


def word_count(text: str) -> int:
    """Words as a reader counts them (numbers count, punctuation does not)."""
    return len(_WORD.findall(text))


def cta_sentences(body: str) -> list[str]:
    """Sentences that ask the reader to do something: questions and imperative asks."""
    sentences = (s.strip() for s in _SENTENCE_END.split(body))
    return [s for s in sentences if s and (s.endswith("?") or _IMPERATIVE_ASKS.search(s))]


def count_ctas(body: str) -> int:
    """How many calls to action the body makes."""
    return len(cta_sentences(body))


# What pitches or asks for a meeting: never right after a no, a 'not now' or a complaint.
_PITCH = re.compile(
    r"\b(?:call|meet(?:ing)?|chat|slots?|calendar|diary|30 minutes|demo|schedule|book a|"
    r"free (?:on|at)|available (?:on|at)|walk you through|how we (?:help|work)|our (?:services|"
    r"approach|offer))\b",
    re.IGNORECASE,
)


def _respects_a_no(draft: Draft, ctx: GateContext) -> Iterator[Finding]:
    if ctx.lead_intent not in NO_PITCH_INTENTS:
        return
    if pitch := _PITCH.search(draft.body):
        yield Finding(
            "pitch_to_no",
            "error",
            f"the lead said {ctx.lead_intent.replace('_', ' ')}, and the draft still pitches "
            f"({pitch.group(0)!r})",
            "Acknowledge what they said in a line or two; no meeting ask, no pitch.",
        )


def _shape(draft: Draft, ctx: GateContext) -> Iterator[Finding]:
    words = word_count(draft.body)
    if words >= MAX_WORDS:
        yield Finding(
            "length",
            "error",
            f"the body has {words} words; keep it under {MAX_WORDS}",
            f"Cut at least {words - MAX_WORDS + 1} words (50 to 125 reads best): keep the "
            "lead's point, one detail and the ask.",
        )
    asks = cta_sentences(draft.body)
    if not ctx.plan_asks:
        if asks:
            yield Finding(
                "cta",
                "error",
                f"the plan makes no ask, and the body has {len(asks)}",
                f"Remove {', '.join(repr(ask) for ask in asks)}: a close or an acknowledgement "
                "asks nothing.",
            )
    elif len(asks) != 1:
        yield Finding(
            "cta",
            "error",
            f"the body has {len(asks)} calls to action; it needs exactly one",
            f"Keep one ask; remove {', '.join(repr(ask) for ask in asks[:-1])}"
            if len(asks) > 1
            else "End with one clear question, e.g. a time for a 30-minute call.",
        )
    if EM_DASH in draft.subject or EM_DASH in draft.body:
        yield Finding(
            "em_dash",
            "error",
            "the draft uses an em-dash; use a comma, a full stop or brackets",
            "Replace each em-dash with a comma or a full stop.",
        )


def _forbidden(text: str, ctx: GateContext) -> Iterator[Finding]:
    pattern = literal_alternation(ctx.forbidden_words, ignore_case=True)
    used = dict.fromkeys(m.group().lower() for m in pattern.finditer(text)) if pattern else {}
    for word in used:
        yield Finding(
            "forbidden_word",
            "error",
            f"'{word}' is on the operator's list of words never to use",
            f"Replace '{word}' with a plain word.",
            "forbidden_words",
        )


def _tone(draft: Draft, ctx: GateContext) -> Iterator[Finding]:
    problems: list[str] = []
    if ctx.planned_tone in ("formal", "careful"):
        if exclamations := draft.body.count("!") + draft.subject.count("!"):
            problems.append(f"{exclamations} exclamation mark(s)")
        if greeting := _CASUAL_GREETING.match(draft.body):
            problems.append(f"the casual greeting '{greeting.group().strip()}'")
        problems += [f"'{m.group()}'" for m in _CASUAL.finditer(draft.body)]
    elif ctx.planned_tone == "conversational":
        problems += [f"the stiff '{m.group()}'" for m in _STIFF.finditer(draft.body)]
    if problems:
        yield Finding(
            "tone",
            "warning",
            f"the plan is a {ctx.planned_tone} reply but the draft has {', '.join(problems)}",
            "Write it plainly and calmly: no exclamation marks, a 'Hi <name>,' greeting."
            if ctx.planned_tone != "conversational"
            else "Write as you would speak: drop the formal stock phrases.",
            "tone_mismatch",
        )


def _allowed_host(host: str, ctx: GateContext) -> bool:
    own = ctx.recipient.email.rsplit("@", 1)[-1] if ctx.recipient is not None else None
    allowed = (*ctx.link_allowed_domains, *([own] if own else []))
    return any(host == d or host.endswith(f".{d}") for d in (a.lower() for a in allowed))


def _links(text: str, ctx: GateContext) -> Iterator[Finding]:
    hosts = [link_host(m.group()) for m in URL.finditer(text)]
    hosts += [m.group().lower() for m in DOMAIN.finditer(URL.sub(" ", EMAIL.sub(" ", text)))]
    for host in dict.fromkeys(h for h in hosts if not _allowed_host(h, ctx)):
        yield Finding(
            "links",
            "error",
            f"the draft links to {host}, which is not an allowed domain",
            f"Remove the link to {host}, or link a page on "
            f"{' or '.join(ctx.link_allowed_domains) or 'an allowlisted domain'}.",
        )


def _pii(draft: Draft, text: str, ctx: GateContext) -> Iterator[Finding]:
    own = {ctx.operator_email.lower(), *(a.lower() for a in draft.to)}
    if ctx.recipient is not None:
        own.add(ctx.recipient.email.lower())
    leaked = [m.group() for m in EMAIL.finditer(text) if m.group().lower() not in own]
    leaked += [
        m.group()
        for m in PHONE.finditer(text)
        if is_phone(m.group()) and phone_key(m.group()) not in ctx.operator_phones
    ]
    recipient_name = (
        f"{ctx.recipient.first_name or ''} {ctx.recipient.last_name or ''}".strip()
        if ctx.recipient is not None
        else ""
    )
    crm_people = ctx.crm_names.others_in(text)[0] if ctx.crm_names is not None else ()
    people = (*ctx.other_people, *crm_people)
    names = literal_alternation(n for n in people if n != recipient_name)
    leaked += [m.group() for m in names.finditer(text)] if names else []
    for detail in dict.fromkeys(leaked):
        yield Finding(
            "pii",
            "error",
            f"the draft contains {detail}, a personal detail of someone other than the recipient",
            f"Remove {detail}: only your own and the recipient's details belong in the draft.",
            "pii_leak",
        )


def _confidential(text: str, ctx: GateContext) -> Iterator[Finding]:
    crm_companies = ctx.crm_names.others_in(text)[1] if ctx.crm_names is not None else ()
    pattern = literal_alternation((*ctx.other_companies, *crm_companies), ignore_case=True)
    named: dict[str, str | None] = {}
    for match in pattern.finditer(text) if pattern else ():
        window = text[max(0, match.start() - _FIGURE_WINDOW) : match.end() + _FIGURE_WINDOW]
        amount = AMOUNT.search(window)
        named[match.group()] = named.get(match.group()) or (amount.group() if amount else None)
    for company, figure in named.items():
        beside = f" with a figure ({figure}) beside it" if figure else ""
        yield Finding(
            "confidential",
            "error",
            f"the draft names {company}, another client in the CRM{beside}",
            f"Remove {company}: other clients' names and figures stay confidential.",
            "confidential_content",
        )


def content_findings(draft: Draft, ctx: GateContext) -> Iterator[Finding]:
    """Every content check, in a stable order."""
    text = f"{draft.subject}\n{draft.body}"
    yield from _shape(draft, ctx)
    yield from _respects_a_no(draft, ctx)
    yield from _forbidden(text, ctx)
    yield from _tone(draft, ctx)
    yield from _links(text, ctx)
    yield from _pii(draft, text, ctx)
    yield from _confidential(text, ctx)
