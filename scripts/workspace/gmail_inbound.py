"""The inbound threads of Dana's mailbox, one per variant in `gmail_scenarios.toml`.

Thread ids are `thr-<scenario>-NN`, the first of each scenario its canonical thread. Senders
are cast contacts (so HubSpot knows them) except a couple of unknown leads and the
referrals' new people.
"""

from __future__ import annotations

import random
import tomllib
from pathlib import Path
from typing import Any

from scripts.workspace.cast import Cast, Contact
from scripts.workspace.gmail_mail import Person, ThreadBuilder, person
from scripts.workspace.gmail_voice import dana_email, dana_reply, topic_for

__all__ = ["SCENARIO_FILE", "inbound_threads"]

SCENARIO_FILE = Path(__file__).with_name("gmail_scenarios.toml")

_UNKNOWN = [
    Person("Małgorzata Kowalczyk", "m.kowalczyk@brightpath-freight.example"),
    Person("Sam Adeyemi", "sam@adeyemi-bakeries.example"),
]
_REFERRED = [
    Person("Inês Carvalho", "ines.carvalho@portosul-logistica.example"),
    Person("Jonas Weber", "jonas.weber@alpenfrische.example"),
]
_SIGN_OFFS = ["Best,", "Thanks,", "Kind regards,", "Cheers,", "Many thanks,"]
_SHORT_REPLIES = [
    "Thanks Dana, that is helpful. Let me think about it and come back to you.",
    "Thanks Dana. Interesting, I will share it with the team.",
    "Got it, thanks. Give me a few days to look at it properly.",
]


def _named(ref: str) -> Person:
    kind, _, index = ref.partition(":")
    return (_UNKNOWN if kind == "unknown" else _REFERRED)[int(index)]


def _signature(sender: Person, title: str, company: str, rng: random.Random) -> str:
    """A sign-off and signature; most use the `-- ` delimiter, some Outlook-style lines."""
    sign_off = f"{rng.choice(_SIGN_OFFS)}\n{sender.first_name}"
    phone = f"+44 {rng.randrange(113, 191)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    lines = f"{sender.name}\n{title} | {company}\n{phone}" if company else sender.name
    delimiter = "-- \n" if rng.random() < 0.7 else ""
    return f"{sign_off}\n\n{delimiter}{lines}"


def _values(contact: Contact, cast: Cast, rng: random.Random) -> dict[str, str]:
    company = cast.company(contact.company_id)
    others = [c for c in cast.contacts if c.company_id != contact.company_id and c.id != "1001"]
    peer = rng.choice(others)
    return {
        "company": company.name,
        "city": company.city,
        "domain": company.domain,
        "first": contact.first_name,
        "referrer": contact.name,
        "referrer_first": contact.first_name,
        "referrer_company": company.name,
        "peer": peer.name,
        "peer_id": peer.id,
        "peer_company": cast.company(peer.company_id).name,
    }


def _build(
    thread_id: str, spec: dict[str, Any], contact: Contact, cast: Cast, rng: random.Random
) -> dict[str, Any]:
    dana = Person(cast.operator.name, cast.operator.email)
    company = cast.company(contact.company_id)
    topic = topic_for(contact, company, rng)
    # {return_date} stays a placeholder: the loader fills it relative to the sending date.
    values = {**_values(contact, cast, rng), "topic": topic.topic, "return_date": "{return_date}"}
    lead = _named(spec["sender"]) if "sender" in spec else person(contact)
    cc = [_named(ref) for ref in spec.get("cc", [])]
    text = spec.get("text", "")
    if "{peer}" in text:
        cc.append(person(next(c for c in cast.contacts if c.id == values["peer_id"])))
    if "{referrer}" in text:
        cc.append(person(contact))
    shape = spec["shape"]
    # Days between the messages before the inbound one, which lands on `days_ago`.
    gaps = [rng.randrange(1, 4) for _ in range({"fresh": 0, "reply": 1, "long": 3}[shape])]
    builder = ThreadBuilder(thread_id, "", spec["days_ago"] + sum(gaps), rng)
    if shape != "fresh":
        builder.subject, body = dana_email(spec.get("purpose", "follow_up"), topic, rng)
        builder.add(dana, [lead], body, labels=["SENT"], body=rng.choice(["text", "multipart"]))
    if shape == "long":
        reply = f"{rng.choice(_SHORT_REPLIES)}\n\n{lead.first_name}"
        builder.add(lead, [dana], reply, labels=["INBOX"], gap_days=gaps[0], quote="gmail")
        answer = dana_reply("reply", topic, rng)
        builder.add(dana, [lead], answer, labels=["SENT"], gap_days=gaps[1], quote="gmail")
    values["subject"] = builder.subject
    if shape == "fresh":
        builder.subject = spec["subject"].format(**values)
    text = text.format(**values)
    if spec.get("signed", True):
        known = lead == person(contact)
        title, employer = (contact.job_title, company.name) if known else ("", "")
        text = f"{text}\n\n{_signature(lead, title, employer, rng)}"
    extra: dict[str, Any] = {}
    if spec.get("auto_reply"):
        extra["headers"] = {"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"}
    if "return_in_days" in spec:
        extra["dates"] = {"return_date": spec["return_in_days"]}
    if "html" in spec:
        extra["html"] = spec["html"].format(**values)
    quote = spec.get("quote", "gmail")
    builder.add(
        lead,
        [dana],
        text,
        cc=cc or None,
        labels=["INBOX", "UNREAD"] if spec["days_ago"] <= 7 else ["INBOX"],
        body=spec["body"],
        gap_days=gaps[-1] if gaps else 0,
        quote=None if quote == "none" else quote,
        subject=spec["subject"].format(**values)
        if "subject" in spec and shape != "fresh"
        else None,
        **extra,
    )
    return builder.thread()


def inbound_threads(cast: Cast, rng: random.Random) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every scenario's threads, and the index: scenario -> canonical thread and all threads."""
    scenarios = tomllib.loads(SCENARIO_FILE.read_text(encoding="utf-8"))
    contacts = [c for c in cast.contacts if c.id != "1001"]  # Priya has the demo thread
    rng.shuffle(contacts)
    threads: list[dict[str, Any]] = []
    index: dict[str, Any] = {}
    for name, variants in scenarios.items():
        ids = []
        for number, spec in enumerate(variants, start=1):
            thread_id = f"thr-{name}-{number:02d}"
            threads.append(_build(thread_id, spec, contacts[len(threads)], cast, rng))
            ids.append(thread_id)
        index[name] = {"canonical": ids[0], "threads": ids}
    return threads, index
