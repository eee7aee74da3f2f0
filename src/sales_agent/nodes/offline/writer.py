"""The offline draft writer: composes a reply from the voice profile, the plan and the facts.

It picks among the profile's phrasings with a stable hash of the thread, so two leads do not
get the same letter while one lead always gets the same one (runs are reproducible). The
plan decides the letter's shape (a call, an asset, a courteous close, an apology) and its
tone; the profile decides the words. The length target holds too: when the letter runs
over `max_words`, the plan's middle line goes first, since the opener, the operator's own
lines and the ask are the voice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sales_agent.connectors.gmail_reply import reply_subject
from sales_agent.domain import (
    Draft,
    NextStepPlan,
    PlanAction,
    ProposedSlot,
    ResolvedIdentity,
    ThreadContext,
)
from sales_agent.domain.history_claims import CLAIMS_HISTORY
from sales_agent.domain.slots import format_slot_list
from sales_agent.domain.voice import VoiceProfile
from sales_agent.policy.gate_content import word_count

__all__ = ["WriterInput", "first_name_of", "write_offline_draft"]

_INTENT_LINES = {
    "meeting_request": "A call is the quickest way to see where the time goes.",
    "pricing_question": "Pricing depends on scope, so a short call lets me give you a real number.",
    # Not "Fair challenge": the opener already grants the point ("Fair point, and thanks...").
    "objection": "It is worth ten minutes to see whether it applies to you.",
    "new_lead": "I would love to hear a bit more about where things stand today.",
    "referral": "Thanks for the introduction, it is good to meet you.",
    "question": "The honest answer depends on your site, so a short call is the fastest way to "
    "a straight one.",
    "asset_request": "I will put the right material together for you.",
    "confidential_request": (
        "I keep every client's work confidential, so I cannot share names or figures from "
        "other engagements."
    ),
}
# A reply opens by answering what the lead said; only a first enquiry gets a thank-you.
_REPLY_OPENERS = {
    "meeting_request": "Happy to find a time.",
    "pricing_question": "Good question on cost.",
    "question": "Thanks for the question.",
    "objection": "Fair point, and thanks for being straight with me.",
    "asset_request": "Happy to send that over.",
    "confidential_request": "Understood, and a fair thing to ask.",
    "new_lead": "Thanks for the reply.",
}
# What a SEND_ASSET letter says of the asset: its kind, never its file name (a file named
# for another client would leak that client); the operator attaches the file at approval.
_ASSET_LINES = {
    "pricing_question": "I will send our proposal with the figures, so you have them first.",
    "objection": "I will send a short case study from similar work so you can judge.",
    "confidential_request": "What I can share is a published case study, which I will send.",
    "asset_request": "I will send our {kind} over with this note.",
}
_CLOSE_LINES = (
    "Thanks for letting me know, and completely understood.",
    "I will not follow up on this, and I wish you and the team all the best.",
)
_ACK_LINE = "Thanks, that makes sense, and no rush at all."
# A follow-up touch brings something new each time; never "just bumping" or "circling back".
_TOUCH_ASSET = (
    "Something more concrete this time, in case real work is easier to judge than a note."
)
_TOUCH_ANGLE = "One more thought since my last note."
_LAST_TOUCH = "This is my last note on it, so no need to write back if the timing is wrong."


@dataclass(frozen=True)
class WriterInput:
    """Everything the writer may draw on: nothing else reaches the letter."""

    identity: ResolvedIdentity
    thread: ThreadContext | None
    plan: NextStepPlan
    slots: Sequence[ProposedSlot]
    voice: VoiceProfile
    timezone: str
    seed: str
    recipients: tuple[str, ...]
    greeting_name: str
    today: date
    """The run's date, as the planner has it: "I will get back in touch on Monday" needs it."""


def _pick(options: Sequence[str], seed: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{seed}".encode()).digest()
    return options[digest[0] % len(options)]


def first_name_of(identity: ResolvedIdentity) -> str:
    """The CRM first name, else a guess from the address ('priya.shah@' -> 'Priya')."""
    return identity.first_name or identity.email.split("@", 1)[0].split(".")[0].title()


def _subject(thread: ThreadContext | None, identity: ResolvedIdentity) -> str:
    if thread is not None and thread.subject:
        return reply_subject(thread.subject.strip())
    company = identity.company_name or "your team"
    return f"Quick idea for {company}"


def _slot_ask(given: WriterInput) -> str:
    if given.slots:
        slots = format_slot_list(given.slots, given.timezone)
        return _pick(given.voice.cta_templates, given.seed, "cta").format(slots=slots)
    return given.voice.fallback_cta


def _asset_kind(asset_type: str) -> str:
    """What the letter calls the file: "case study", "proposal", else "material".

    A file of no known kind is still what the lead asked for; the operator checks it at
    approval, so the letter names its kind, never its file name.
    """
    return "material" if asset_type == "other" else asset_type.replace("_", " ")


def _middle_and_ask(given: WriterInput, intent: str) -> tuple[str, str]:
    """The plan's own line and its single ask."""
    plan = given.plan
    if plan.action is PlanAction.SEND_ASSET and plan.asset is not None:
        kind = _asset_kind(plan.asset.asset_type)
        asset_line = _ASSET_LINES.get(intent, "I will send our {kind} on this.").format(kind=kind)
        return f"{_INTENT_LINES.get(intent, '')} {asset_line}".strip(), _slot_ask(given)
    return _INTENT_LINES.get(intent, _INTENT_LINES["new_lead"]), _slot_ask(given)


def _opener(given: WriterInput, intent: str) -> str:
    detail = given.thread.detail if given.thread is not None else None
    if intent == "referral":
        return ""  # the introduction line is the opener
    operator_wrote = given.thread is not None and given.thread.operator_wrote
    # "Thanks for coming back to me on ..." invents an exchange when the lead wrote first.
    openers = [o for o in given.voice.openers if operator_wrote or not CLAIMS_HISTORY.search(o)]
    if detail and openers and intent != "confidential_request":
        return _pick(openers, given.seed, "opener").format(detail=detail)
    replying = given.thread is not None and given.thread.gmail_thread_id is not None
    if replying:
        return _REPLY_OPENERS.get(intent, "Thanks for the reply.")
    return "Thanks for getting in touch."


def _no_ask_letter(given: WriterInput) -> list[str]:
    """A close or an acknowledgement: two lines, no pitch, no ask."""
    if given.plan.action is PlanAction.CLOSE:
        return list(_CLOSE_LINES)
    return [_ACK_LINE, f"I will get back in touch {_when_they_said(given)}."]


_A_WEEK = 7


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _when_they_said(given: WriterInput) -> str:
    """The time the lead named, said back in words ("on Monday", "in May"), never a new one.

    No day numbers: a figure the lead did not write reads as invented. No time named: "then".
    """
    asked = given.thread.follow_up_on if given.thread is not None else None
    if asked is None or asked <= given.today:
        return "then"
    ahead = (asked - given.today).days
    if ahead <= _A_WEEK:  # "next Monday", said on a Monday: "on Monday"
        return f"on {asked:%A}"
    if _monday(asked) - _monday(given.today) == timedelta(days=_A_WEEK):
        return "next week"
    if asked.month == given.today.month and asked.year == given.today.year:
        return "later this month"
    return f"in {asked:%B}"


def _touch_lines(given: WriterInput) -> list[str]:
    """A follow-up's middle: a new angle, an asset not sent before, or the last-note line."""
    plan = given.plan
    assert plan.sequence_touch is not None
    sends_asset = plan.action is PlanAction.SEND_ASSET and plan.asset is not None
    if plan.last_touch:
        angle = _LAST_TOUCH
    elif sends_asset:
        angle = _TOUCH_ASSET
    else:
        # Another of the operator's own lines for each touch: the angle changes every time.
        value = _pick(given.voice.value_lines, given.seed, f"value{plan.sequence_touch}")
        angle = f"{_TOUCH_ANGLE} {value}"
    lines = [angle]
    detail = given.thread.detail if given.thread is not None else None
    if detail:
        lines.insert(0, f"Still thinking about {detail}.")
    if sends_asset and plan.asset is not None:
        kind = _asset_kind(plan.asset.asset_type)
        lines.append(f"I will send a short {kind} from similar work with this note.")
    return [" ".join(lines)]


def write_offline_draft(given: WriterInput) -> Draft:
    """A short, specific reply in the operator's voice with exactly one ask."""
    voice = given.voice
    intent = given.thread.intent if given.thread is not None else "new_lead"
    greeting = voice.greeting.format(first_name=given.greeting_name)
    closing = f"{voice.sign_off}\n{voice.signature}"
    subject = _subject(given.thread, given.identity)
    if not given.plan.asks:
        parts = [greeting, " ".join(_no_ask_letter(given)), closing]
        return Draft(to=given.recipients, subject=subject, body="\n\n".join(parts))
    if given.plan.sequence_touch is not None:
        parts = [greeting, *_touch_lines(given), _slot_ask(given), closing]
        return Draft(to=given.recipients, subject=subject, body="\n\n".join(parts))
    opener = _opener(given, intent)
    middle, ask = _middle_and_ask(given, intent)
    value_line = _pick(voice.value_lines, given.seed, "value")
    full = [greeting, f"{opener} {middle}".strip(), value_line, ask, closing]
    # Over the length target: the plan's generic middle goes first (the opener, the
    # operator's own lines and the ask are the voice), unless the middle is the point.
    short = (
        [greeting, middle, ask, closing]
        if intent == "referral"
        else [greeting, opener or middle, value_line, ask, closing]
    )
    parts = full if word_count("\n\n".join(full)) <= voice.max_words else short
    if given.plan.tone == "formal":
        # A formal or careful letter has no exclamation marks; the words stay the operator's.
        parts = [part.replace("!", ".") for part in parts]
    return Draft(to=given.recipients, subject=subject, body="\n\n".join(parts))
