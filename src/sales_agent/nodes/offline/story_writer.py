"""The offline story-pitch writer: the story's key message, made about the contact's company.

Every sentence is chosen with a stable hash of (story, contact) among lines that use only what
the CRM says of the contact (company, industry, size, funding stage, title, persona), so two
contacts never get the same letter while one contact always gets the same one. Nothing is
invented: a line whose fact the CRM lacks is never picked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sales_agent.domain import Draft, ProposedSlot
from sales_agent.domain.slots import format_slot_list
from sales_agent.domain.story import Persona, RankedContact, StoryCampaign
from sales_agent.domain.voice import VoiceProfile
from sales_agent.policy.gate_content import word_count

__all__ = ["PitchInput", "write_offline_pitch"]

# What each persona watches: the angle the key message is made relevant from.
_CONCERN = {
    Persona.BUYER: ("where the margin goes", "what moves the numbers this year"),
    Persona.INFLUENCER: ("where the day's work gets stuck", "what slows the team down"),
    Persona.TECHNICAL: ("how the systems hold up", "where the data gets messy"),
    Persona.FINANCIAL: ("what every delay costs", "where the spend leaks"),
    None: ("what gets in the way", "where time goes"),
}
_START = {
    Persona.BUYER: ("one line of the P&L", "the process that costs most"),
    Persona.INFLUENCER: ("one busy shift", "the step your team repeats most"),
    Persona.TECHNICAL: ("the data you already have", "one system's numbers"),
    Persona.FINANCIAL: ("one cost line", "the figures you already track"),
    None: ("one process", "the part that costs most"),
}
_LEADS = (
    "Quick story from a recent project:",
    "Something we finished recently:",
    "A short result worth sharing:",
    "One recent piece of work:",
    "News from our side:",
    "Thought you might like this one:",
    "Here is what we just wrapped up:",
)
_ASSET = (
    "I have a short {kind} on it, happy to pass it on.",
    "There is a {kind} with the detail, which I can send over.",
    "The {kind} tells it in two pages, if that is useful.",
    "I can share the {kind} we wrote up afterwards.",
    "The full {kind} is short and plain, and yours if you want it.",
)
_RELEVANCE = (
    "For {company}, I would start with {start}.",
    "At {company}, the first place I would look is {start}.",
    "If we did the same at {company}, {start} is where I would begin.",
    "My guess is {company} would see it first in {start}.",
)


@dataclass(frozen=True)
class PitchInput:
    """Everything the writer may draw on: nothing else reaches the pitch."""

    story: StoryCampaign
    target: RankedContact
    voice: VoiceProfile
    slots: Sequence[ProposedSlot]
    asset_kind: str | None
    timezone: str


def _pick(options: Sequence[str], seed: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{seed}".encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def _details(given: PitchInput) -> list[str]:
    """Lines built from the CRM's facts about the contact; only facts it has."""
    contact, persona = given.target.contact, given.target.fit.persona
    company = contact.company_name
    concern = _pick(_CONCERN[persona], contact.email, "concern")
    lines = []
    if company and contact.job_title:
        lines.append(f"As {contact.job_title} at {company}, you see {concern} first hand.")
    if company and contact.industry:
        lines.append(f"In {contact.industry.lower()}, {company} lives with {concern} every week.")
    if company and contact.employees:
        lines.append(
            f"With about {contact.employees} people, {company} is the size where this pays off "
            "quickest."
        )
    if company and contact.stage and contact.industry:
        lines.append(
            f"For a {contact.stage} {contact.industry.lower()} business like {company}, "
            f"{concern} matters more each quarter."
        )
    return lines or [f"I thought of you when we wrapped this up, given {concern}."]


def _ask(given: PitchInput) -> str:
    story = given.story
    if story.cta_kind == "call" and given.slots:
        slots = format_slot_list(given.slots, given.timezone)
        return _pick(given.voice.cta_templates, given.target.contact.email, "cta").format(
            slots=slots
        )
    return story.cta


def _subject(given: PitchInput) -> str:
    company = given.target.contact.company_name
    theme = given.story.theme.strip() or given.story.name.strip()
    options = [f"{theme.capitalize()}, a quick note", f"A result on {theme.lower()}"]
    if company:
        options.append(f"An idea for {company}")
    return _pick(options, given.target.contact.email, "subject")


def write_offline_pitch(given: PitchInput) -> tuple[Draft, str]:
    """The pitch and the CRM detail it leans on; one ask, the operator's words and sign-off."""
    voice, contact = given.voice, given.target.contact
    seed = f"{given.story.id}:{contact.email}"
    detail = _pick(_details(given), seed, "detail")
    message = given.story.key_message.strip()
    start = _pick(_START[given.target.fit.persona], seed, "start")
    relevance = (
        _pick(_RELEVANCE, seed, "relevance").format(company=contact.company_name, start=start)
        if contact.company_name
        else f"I would start with {start}."
    )
    asset = (
        _pick(_ASSET, seed, "asset").format(kind=given.asset_kind)
        if given.asset_kind is not None
        else None
    )
    greeting = voice.greeting.format(first_name=contact.first_name or "there")
    closing = f"{voice.sign_off}\n{voice.signature}"
    middle = f"{_pick(_LEADS, seed, 'lead')} {message}"
    # The story first or the contact first: the same letter twice in a row reads as a merge.
    opening = (
        [detail, middle]
        if _pick(("detail", "story"), seed, "order") == "detail"
        else [
            middle,
            detail,
        ]
    )
    parts = [greeting, *opening, relevance, *([asset] if asset else []), _ask(given)]
    if word_count("\n\n".join([*parts, closing])) > voice.max_words:
        parts.remove(relevance)  # the story, the detail and the ask are the point
    body = "\n\n".join([*parts, closing])
    return Draft(to=(contact.email,), subject=_subject(given), body=body), detail
