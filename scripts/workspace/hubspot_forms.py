"""The HubSpot forms and their submissions over the last six weeks.

Two forms: the contact form and a report download. Most submissions come from people in
the CRM; every fourth is a brand-new lead. `form-sub-0001` is the seeded lead's, as the
demo expects it.
"""

from __future__ import annotations

import random
from typing import Any

from scripts.workspace.cast import Cast
from scripts.workspace.hubspot_text import (
    CONTACT_FORM_MESSAGES,
    NEW_LEADS,
    REPORT_FORM_MESSAGES,
    words_for,
)

__all__ = ["forms", "submissions"]

SEED_CONTACT_ID = "1001"
CONTACT_FORM_ID = "5b1c9d01-7a2e-4e0d-9c1f-c3e0de0d5b4b"
SITE = "https://chaingepartners.example"
REPORT_PAGE = f"{SITE}/reports/warehouse-flow-benchmark-2026"

_FIELDS = {
    "email": ("Email", "email", True),
    "firstname": ("First name", "single_line_text", True),
    "lastname": ("Last name", "single_line_text", False),
    "company": ("Company name", "single_line_text", False),
    "message": ("Message", "multi_line_text", False),
}


def forms(report_form_id: str) -> list[dict[str, Any]]:
    """The contact form and the report download form."""

    def fields(names: list[str]) -> list[dict[str, Any]]:
        return [
            {"name": name, "label": label, "field_type": kind, "required": required}
            for name in names
            for label, kind, required in [_FIELDS[name]]
        ]

    return [
        {
            "id": CONTACT_FORM_ID,
            "name": "Contact us",
            "days_ago": 400,
            "fields": fields(["email", "firstname", "lastname", "company", "message"]),
        },
        {
            "id": report_form_id,
            "name": "Download report: Warehouse Flow Benchmark 2026",
            "days_ago": 60,
            "fields": fields(["email", "firstname", "lastname", "company", "message"]),
        },
    ]


def _submission_values(
    cast: Cast, rng: random.Random, on_report: bool, index: int
) -> dict[str, str]:
    if index % 4 == 3:  # a brand-new lead, not in the CRM yet
        first, last, company, email = NEW_LEADS[(index // 4) % len(NEW_LEADS)]
        words = {"first": first, "company": company, "city": "our region"}
        words |= {"industry": "logistics", "employees": str(rng.randrange(20, 400))}
    else:
        contact = rng.choice([c for c in cast.contacts if c.id != SEED_CONTACT_ID])
        first, last, email = contact.first_name, contact.last_name, contact.email
        words = words_for(contact, cast)
        company = words["company"]
    templates = REPORT_FORM_MESSAGES if on_report else CONTACT_FORM_MESSAGES
    values = {"email": email, "firstname": first, "lastname": last, "company": company}
    message = rng.choice(templates).format(**words)
    if message:
        values["message"] = message
    return values


def submissions(cast: Cast, rng: random.Random, report_form_id: str) -> list[dict[str, Any]]:
    """The seeded lead's submission, then 29 more over the last six weeks."""
    submissions: list[dict[str, Any]] = [
        {
            "id": "form-sub-0001",
            "form_id": CONTACT_FORM_ID,
            "page_url": f"{SITE}/contact",
            "days_ago": 8,
            "local_time": "14:20",
            "values": {
                "email": "priya@northwind-logistics.example",
                "firstname": "Priya",
                "message": "We run a 3PL warehouse in Leeds and orders keep waiting in staging "
                "before dispatch. Interested in how you would approach it.",
            },
        }
    ]
    for index in range(1, 30):
        on_report = index % 3 == 0
        hour, minute = rng.randrange(7, 22), rng.choice([0, 5, 12, 20, 34, 41, 47, 58])
        submissions.append(
            {
                "id": f"form-sub-{index + 1:04d}",
                "form_id": report_form_id if on_report else CONTACT_FORM_ID,
                "page_url": REPORT_PAGE if on_report else f"{SITE}/contact",
                "days_ago": rng.randrange(1, 43),  # never later today: not yet submitted
                "local_time": f"{hour:02d}:{minute:02d}",
                "values": _submission_values(cast, rng, on_report, index),
            }
        )
    return submissions
