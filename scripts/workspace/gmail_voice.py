"""Dana Reyes's voice: how she opens, says the short version, asks one question, signs off.

Her habits, kept on purpose so voice learning has something to learn: "Hi <first name>,";
short paragraphs of one to three sentences; plain words; favourite phrases ("quick one",
"happy to", "no slides needed", "worth a look", "the short version", "in practice"); one
short question offering a concrete next step; "Cheers,\\nDana" and a short signature.
Never an em-dash, never sales clichés. The phrase banks are in `gmail_voice.toml`.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from scripts.workspace.cast import Company, Contact

__all__ = ["DANA_SIGNATURE", "PURPOSES", "Topic", "dana_email", "dana_reply", "topic_for"]

DANA_SIGNATURE = "Cheers,\nDana\n\n-- \nDana Reyes\nPartner, Chainge Partners\n+44 20 7946 0321"

_BANKS = tomllib.loads(Path(__file__).with_name("gmail_voice.toml").read_text(encoding="utf-8"))
PURPOSES = tuple(_BANKS["purposes"])
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_TIMES = ["9:00", "9:30", "10:00", "11:00", "11:30", "14:00", "15:00", "15:30", "16:00"]
_COLLEAGUES = ["Tomás", "Amara"]


@dataclass(frozen=True)
class Topic:
    """What an email is about, with the details its sentences name."""

    contact: Contact
    company: Company
    topic: str


def topic_for(contact: Contact, company: Company, rng: random.Random) -> Topic:
    """Pick one of the company's likely operational topics."""
    topics = _BANKS["topics"]
    return Topic(contact, company, rng.choice(topics.get(company.industry, topics["SaaS"])))


def _values(
    topic: Topic, rng: random.Random, other: Contact | None, other_company: Company | None
) -> dict[str, str]:
    day, other_day = rng.sample(_DAYS, 2)
    time, other_time = rng.sample(_TIMES, 2)
    return {
        "first": topic.contact.first_name,
        "company": topic.company.name,
        "city": topic.company.city,
        "industry": topic.company.industry.lower(),
        "topic": topic.topic,
        "step": rng.choice(_BANKS["steps"]),
        "pct": str(rng.randrange(18, 45)),
        "weeks": str(rng.choice([4, 6, 8, 10])),
        "day": day,
        "other_day": other_day,
        "time": time,
        "other_time": other_time,
        "colleague": rng.choice(_COLLEAGUES),
        "other_name": other.name if other else "",
        "other_first": other.first_name if other else "",
        "other_company": other_company.name if other_company else "",
    }


def _letter(first: str, paragraphs: list[str]) -> str:
    return "\n\n".join([f"Hi {first},", *paragraphs, DANA_SIGNATURE])


def _paragraphs(opener: str, middles: list[str], question: str, rng: random.Random) -> list[str]:
    """Short paragraphs: the opener sometimes shares one with the first middle sentence."""
    if middles and rng.random() < 0.35:
        return [f"{opener} {middles[0]}", *middles[1:], question]
    return [opener, *middles, question]


def dana_email(
    purpose: str,
    topic: Topic,
    rng: random.Random,
    *,
    other: Contact | None = None,
    other_company: Company | None = None,
) -> tuple[str, str]:
    """A first email for `purpose`: (subject, body)."""
    bank = _BANKS["purposes"][purpose]
    values = _values(topic, rng, other, other_company)
    middles = rng.sample(bank["middles"], rng.choice([1, 1, 2]))
    paragraphs = _paragraphs(
        rng.choice(bank["openers"]), middles, rng.choice(bank["questions"]), rng
    )
    body = _letter(topic.contact.first_name, paragraphs).format(**values)
    return rng.choice(bank["subjects"]).format(**values), body


def dana_reply(kind: str, topic: Topic, rng: random.Random) -> str:
    """Dana's answer in a thread: after their reply ("reply") or after silence ("nudge")."""
    values = _values(topic, rng, None, None)
    if kind == "nudge":
        paragraphs = [
            rng.choice(_BANKS["nudge_openers"]),
            rng.choice(_BANKS["nudge_middles"]),
            rng.choice(_BANKS["nudge_questions"]),
        ]
    else:
        bank = _BANKS["purposes"][rng.choice(["follow_up", "meeting_confirmation", "scheduling"])]
        opener = rng.choice(_BANKS["reply_openers"])
        paragraphs = _paragraphs(
            opener, [rng.choice(bank["middles"])], rng.choice(bank["questions"]), rng
        )
    return _letter(topic.contact.first_name, paragraphs).format(**values)
