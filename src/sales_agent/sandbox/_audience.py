"""A story audience for the sandbox: a few hundred more contacts with titles and history.

Opt-in (`POST /_sandbox/audience`), so the seeded
workspace every test and eval relies on stays as it is. Generated from a fixed seed: the
same count gives the same people. Each company gets an industry and a size; each contact
a title and a lifecycle stage; about a third replied to the operator once, about a quarter
got a Sent message from the operator (some within the last week, so the 7-day rule shows).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sales_agent.sandbox.workspace import Workspace

__all__ = ["AUDIENCE_COMPANY_BASE", "AUDIENCE_CONTACT_BASE", "add_audience"]

AUDIENCE_COMPANY_BASE = 7001
AUDIENCE_CONTACT_BASE = 8001
_CONTACTS_PER_COMPANY = 5
_CONTACT_TO_COMPANY = 1  # HubSpot's association type id

_FIRST = tuple(
    [
        "Alex",
        "Bea",
        "Chidi",
        "Dev",
        "Emil",
        "Farah",
        "Gus",
        "Hana",
        "Ivo",
        "Jun",
        "Kofi",
        "Lena",
        "Mads",
        "Nia",
        "Omar",
    ]
)
_LAST = tuple(
    [
        "Abbott",
        "Brandt",
        "Costa",
        "Dahl",
        "Eze",
        "Fenn",
        "Gray",
        "Holt",
        "Iqbal",
        "Joss",
        "Kerr",
        "Lund",
        "Moss",
        "Orr",
    ]
)
_TITLES = ("Head of Operations", "Operations Director", "CFO", "Supply Chain Manager", "COO",
           "Warehouse Manager", "Procurement Lead", "VP Operations", "Managing Director",
           "Logistics Coordinator", "Head of Finance", "Chief Executive", "IT Director",
           "Data Engineer", "Planner", "Finance Director")  # fmt: skip
_INDUSTRIES = ("Logistics", "Manufacturing", "Retail", "Healthcare", "Food & Beverage",
               "Fintech", "Energy", "Construction", "Education", "SaaS")  # fmt: skip
_SIZES = (18, 45, 75, 140, 260, 420, 640, 900, 1500, 3100)
_STAGES = ("lead", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity")
_WORDS = ("Harbor", "Summit", "Lattice", "Meridian", "Copper", "Granite", "Willow", "Beacon",
          "Quarry", "Juniper", "Falcon", "Orchard")  # fmt: skip


def _message(sender: str, to: str, subject: str, body: str, when: datetime) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    message.set_content(body)
    return message.as_bytes()


def add_audience(workspace: Workspace, contacts: int, *, seed: int = 15) -> dict[str, int]:
    """Add `contacts` generated contacts (and their companies and mail); how many of each."""
    if workspace.crm.records("contacts") and any(
        int(record.id) >= AUDIENCE_CONTACT_BASE for record in workspace.crm.records("contacts")
    ):
        return {"companies": 0, "contacts": 0, "replies": 0, "sent": 0}  # added already
    rng, now, operator = random.Random(seed), workspace.started_at, workspace.operator.email
    counts = {"companies": 0, "contacts": 0, "replies": 0, "sent": 0}
    companies = -(-contacts // _CONTACTS_PER_COMPANY)
    for c in range(companies):
        company_id = str(AUDIENCE_COMPANY_BASE + c)
        name = f"{_WORDS[c % len(_WORDS)]} {rng.choice(_INDUSTRIES).split()[0]} {c + 1}"
        domain = f"{name.lower().replace(' ', '-').replace('&', 'and')}.example"
        industry = rng.choice(_INDUSTRIES)
        workspace.crm.create(
            "companies",
            {"name": name, "domain": domain, "industry": industry,
             "numberofemployees": str(rng.choice(_SIZES)), "lifecyclestage": "lead"},
            [],
            now=now - timedelta(days=rng.randint(30, 600)),
            object_id=company_id,
        )  # fmt: skip
        counts["companies"] += 1
        for _ in range(min(_CONTACTS_PER_COMPANY, contacts - counts["contacts"])):
            n = counts["contacts"]
            first, last = _FIRST[n % len(_FIRST)], _LAST[(n // len(_FIRST)) % len(_LAST)]
            email = f"{first.lower()}.{last.lower()}{n}@{domain}"
            workspace.crm.create(
                "contacts",
                {"firstname": first, "lastname": last, "email": email,
                 "jobtitle": rng.choice(_TITLES), "company": name,
                 "associatedcompanyid": company_id, "lifecyclestage": rng.choice(_STAGES)},
                [(company_id, _CONTACT_TO_COMPANY)],
                now=now - timedelta(days=rng.randint(10, 500)),
                object_id=str(AUDIENCE_CONTACT_BASE + n),
            )  # fmt: skip
            counts["contacts"] += 1
            if rng.random() < 0.33:
                when = now - timedelta(days=rng.randint(8, 300))
                raw = _message(email, operator, "Re: operations", "Thanks, useful.", when)
                workspace.gmail.add(raw, thread_id=None, label_ids=["INBOX"], internal_date=when)
                counts["replies"] += 1
            if rng.random() < 0.25:
                when = now - timedelta(days=rng.randint(1, 200))
                raw = _message(operator, email, "Following up", "Good to speak.", when)
                workspace.gmail.add(raw, thread_id=None, label_ids=["SENT"], internal_date=when)
                counts["sent"] += 1
    return counts
