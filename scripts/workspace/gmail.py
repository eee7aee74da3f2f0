"""The Gmail section: Dana's mailbox (a year of Sent mail, the scenario threads, the demo lead)
and Marcus Hale's Sent mail in a second mailbox, for voice tests.

Deterministic: one seeded RNG, consumed in a fixed order.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from scripts.workspace.cast import Cast, Contact, Persona
from scripts.workspace.gmail_inbound import inbound_threads
from scripts.workspace.gmail_mail import Person, ThreadBuilder, person
from scripts.workspace.gmail_persona import marcus_email
from scripts.workspace.gmail_voice import PURPOSES, dana_email, dana_reply, topic_for

__all__ = ["generate"]

# The demo lead's thread, kept byte for byte: the demo, the graph and e2e tests read it.
DEMO_THREAD = Path(__file__).with_name("gmail_demo_thread.json")

SENT_CONVERSATIONS = 240
PERSONA_CONVERSATIONS = 110
OLDEST_DAYS = 420  # more than a year of Sent mail
_CONTACT_REPLIES = [
    "Thanks Dana, {day} works for me.",
    "Sounds good. Send it over and I will take a look.",
    "Thanks, that is useful. I will share it with the team.",
    "Great, see you then.",
    "Thanks Dana. Can we push it back a week? Things are busy here.",
    "Perfect, thank you.",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _as_person(persona: Persona) -> Person:
    return Person(persona.name, persona.email)


def _contact_reply(contact: Contact, rng: random.Random) -> str:
    line = rng.choice(_CONTACT_REPLIES).format(day=rng.choice(_DAYS))
    return f"{line}\n\n{contact.first_name}"


def _sent_conversation(
    number: int, days_ago: int, cast: Cast, rng: random.Random
) -> dict[str, Any]:
    """One of Dana's conversations: a first email, then maybe a reply and her answer, or a nudge."""
    dana = _as_person(cast.operator)
    contact = rng.choice(cast.contacts[1:])  # the demo lead keeps her one thread
    topic = topic_for(contact, cast.company(contact.company_id), rng)
    purpose = rng.choice(PURPOSES)
    other = other_company = None
    if purpose == "intro":
        other = rng.choice([c for c in cast.contacts[1:] if c.company_id != contact.company_id])
        other_company = cast.company(other.company_id)
    subject, body = dana_email(purpose, topic, rng, other=other, other_company=other_company)
    builder = ThreadBuilder(f"thr-sent-{number:03d}", subject, days_ago, rng)
    cc = [person(other)] if other else None
    mime = "multipart" if rng.random() < 0.75 else "text"
    builder.add(dana, [person(contact)], body, labels=["SENT"], body=mime, cc=cc)
    shape = rng.random()
    if shape < 0.25:
        reply = _contact_reply(contact, rng)
        builder.add(
            person(contact),
            [dana],
            reply,
            labels=["INBOX"],
            gap_days=rng.randrange(0, 3),
            quote="gmail",
        )
        answer = dana_reply("reply", topic, rng)
        builder.add(
            dana,
            [person(contact)],
            answer,
            labels=["SENT"],
            body=mime,
            gap_days=rng.randrange(0, 2),
            quote="gmail",
        )
    elif shape < 0.4:
        nudge = dana_reply("nudge", topic, rng)
        builder.add(
            dana,
            [person(contact)],
            nudge,
            labels=["SENT"],
            body=mime,
            gap_days=rng.randrange(5, 12),
            quote="gmail",
        )
    return builder.thread()


def _persona_conversation(
    number: int, days_ago: int, cast: Cast, rng: random.Random
) -> dict[str, Any]:
    marcus = _as_person(cast.other_persona)
    contact = rng.choice(cast.contacts)
    subject, body = marcus_email(contact, cast.company(contact.company_id), rng)
    builder = ThreadBuilder(f"thr-marcus-{number:03d}", subject, days_ago, rng)
    builder.add(marcus, [person(contact)], body, labels=["SENT"], body="multipart")
    if rng.random() < 0.1:
        builder.add(
            person(contact),
            [marcus],
            _contact_reply(contact, rng),
            labels=["INBOX"],
            gap_days=2,
            quote="gmail",
        )
        _, follow_up = marcus_email(contact, cast.company(contact.company_id), rng)
        builder.add(
            marcus, [person(contact)], follow_up, labels=["SENT"], body="multipart", gap_days=1
        )
    return builder.thread()


def _spread(count: int, oldest: int, rng: random.Random) -> list[int]:
    """`count` days-ago values spread evenly from `oldest` down to a week ago, jittered."""
    step = (oldest - 8) / count
    return [oldest - int(i * step) - rng.randrange(0, max(1, int(step))) for i in range(count)]


def generate(cast: Cast) -> dict[str, Any]:
    """Build the Gmail seed section."""
    rng = random.Random(20261201)
    demo = json.loads(DEMO_THREAD.read_text(encoding="utf-8"))
    sent = [
        _sent_conversation(n, days, cast, rng)
        for n, days in enumerate(_spread(SENT_CONVERSATIONS, OLDEST_DAYS, rng), start=1)
    ]
    inbound, scenarios = inbound_threads(cast, rng)
    persona = [
        _persona_conversation(n, days, cast, rng)
        for n, days in enumerate(_spread(PERSONA_CONVERSATIONS, OLDEST_DAYS, rng), start=1)
    ]
    return {
        "threads": [demo, *inbound, *sent],
        "mailboxes": [
            {
                "email": cast.other_persona.email,
                "time_zone": cast.other_persona.time_zone,
                "threads": persona,
            }
        ],
        "scenarios": scenarios,
    }
