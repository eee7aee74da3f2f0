"""The HubSpot section: owners, companies, contacts, deals, notes, tasks, forms, submissions.

Everything comes from the shared cast plus a seeded `random.Random`, so two runs write the
same file. Dates are relative: `days_ago` for creation (and form submissions, with a
`local_time` in the operator's zone), `dates` for datetime properties as whole days from
the start date (negative in the past). The seeded lead (contact 1001, company 2001,
`form-sub-0001`) is written exactly as the demo expects it.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from scripts.workspace import hubspot_forms
from scripts.workspace.cast import Cast, Company, Contact
from scripts.workspace.hubspot_forms import SEED_CONTACT_ID
from scripts.workspace.hubspot_text import NOTE_TEXTS, TASK_TEXTS, words_for

from sales_agent.connectors.hubspot_objects import (
    CONTACT_TO_COMPANY,
    DEAL_TO_COMPANY,
    DEAL_TO_CONTACT,
    NOTE_TO_COMPANY,
    NOTE_TO_CONTACT,
    NOTE_TO_DEAL,
    TASK_TO_COMPANY,
    TASK_TO_CONTACT,
    TASK_TO_DEAL,
)

__all__ = ["generate"]


# Lead statuses that fit each lifecycle stage.
_LEAD_STATUSES = {
    "lead": ["NEW", "OPEN", "ATTEMPTED_TO_CONTACT"],
    "marketingqualifiedlead": ["OPEN", "IN_PROGRESS"],
    "salesqualifiedlead": ["IN_PROGRESS", "CONNECTED"],
    "opportunity": ["OPEN_DEAL"],
    "customer": ["CONNECTED"],
}


def _association(from_type: str, from_id: str, to_type: str, to_id: str, type_id: int) -> Any:
    return {
        "from_type": from_type,
        "from_id": from_id,
        "to_type": to_type,
        "to_id": to_id,
        "type_id": type_id,
    }


def _owners(cast: Cast) -> list[dict[str, Any]]:
    return [
        {
            "id": o.id,
            "first_name": o.first_name,
            "last_name": o.last_name,
            "email": o.email,
            "user_id": 7_100_000 + int(o.id),
        }
        for o in cast.owners
    ]


def _company(company: Company, rng: random.Random) -> dict[str, Any]:
    return {
        "id": company.id,
        "days_ago": 9 if company.id == "2001" else rng.randrange(30, 700),
        "properties": {
            "name": company.name,
            "domain": company.domain,
            "industry": company.industry,
            "numberofemployees": str(company.employees),
            "funding_stage": company.funding_stage,
            "city": company.city,
            "country": company.country,
            "lifecyclestage": company.lifecycle_stage,
            "hubspot_owner_id": company.owner_id,
        },
    }


def _contact(contact: Contact, company: Company, rng: random.Random) -> dict[str, Any]:
    seeded = contact.id == SEED_CONTACT_ID
    status = "OPEN" if seeded else rng.choice(_LEAD_STATUSES[contact.lifecycle_stage])
    return {
        "id": contact.id,
        "days_ago": 9 if seeded else rng.randrange(10, 600),
        "properties": {
            "firstname": contact.first_name,
            "lastname": contact.last_name,
            "email": contact.email,
            "jobtitle": contact.job_title,
            "company": company.name,
            "associatedcompanyid": company.id,
            "lifecyclestage": contact.lifecycle_stage,
            "hs_lead_status": status,
            "hubspot_owner_id": contact.owner_id,
        },
    }


def _deals(cast: Cast) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    deals, links = [], []
    for deal in cast.deals:
        deals.append(
            {
                "id": deal.id,
                "days_ago": max(20, 60 - deal.close_in_days),
                "properties": {
                    "dealname": deal.name,
                    "dealstage": deal.stage,
                    "amount": str(deal.amount),
                    "pipeline": "default",
                    "hubspot_owner_id": deal.owner_id,
                },
                "dates": {"closedate": deal.close_in_days},
            }
        )
        links.append(_association("deals", deal.id, "contacts", deal.contact_id, DEAL_TO_CONTACT))
        links.append(_association("deals", deal.id, "companies", deal.company_id, DEAL_TO_COMPANY))
    return deals, links


def _engagement_targets(cast: Cast, rng: random.Random, count: int) -> list[Contact]:
    # The seeded lead keeps a clean history: the demo shows the first note written to it.
    others = [c for c in cast.contacts if c.id != SEED_CONTACT_ID]
    return rng.sample(others, count)


def _deal_of(cast: Cast, company_id: str) -> str | None:
    return next((d.id for d in cast.deals if d.company_id == company_id), None)


def _notes(cast: Cast, rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    notes, links = [], []
    for i, contact in enumerate(_engagement_targets(cast, rng, 12)):
        note_id = str(3001 + i)
        days_ago = rng.randrange(3, 200)
        text = NOTE_TEXTS[i % len(NOTE_TEXTS)].format(**words_for(contact, cast))
        notes.append(
            {
                "id": note_id,
                "days_ago": days_ago,
                "properties": {"hs_note_body": text, "hubspot_owner_id": contact.owner_id},
                "dates": {"hs_timestamp": -days_ago},
            }
        )
        links.append(_association("notes", note_id, "contacts", contact.id, NOTE_TO_CONTACT))
        links.append(
            _association("notes", note_id, "companies", contact.company_id, NOTE_TO_COMPANY)
        )
        deal_id = _deal_of(cast, contact.company_id)
        if deal_id is not None:
            links.append(_association("notes", note_id, "deals", deal_id, NOTE_TO_DEAL))
    return notes, links


def _tasks(cast: Cast, rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    tasks, links = [], []
    for i, contact in enumerate(_engagement_targets(cast, rng, 8)):
        task_id = str(3501 + i)
        subject, body, kind, priority = TASK_TEXTS[i % len(TASK_TEXTS)]
        due_in = rng.randrange(-30, 21)
        words = words_for(contact, cast)
        tasks.append(
            {
                "id": task_id,
                "days_ago": max(1, -due_in + rng.randrange(1, 10)),
                "properties": {
                    "hs_task_subject": subject.format(**words),
                    "hs_task_body": body.format(**words),
                    "hs_task_status": "COMPLETED" if due_in < -7 else "NOT_STARTED",
                    "hs_task_priority": priority,
                    "hs_task_type": kind,
                    "hubspot_owner_id": contact.owner_id,
                },
                "dates": {"hs_timestamp": due_in},
            }
        )
        links.append(_association("tasks", task_id, "contacts", contact.id, TASK_TO_CONTACT))
        links.append(
            _association("tasks", task_id, "companies", contact.company_id, TASK_TO_COMPANY)
        )
        deal_id = _deal_of(cast, contact.company_id)
        if deal_id is not None:
            links.append(_association("tasks", task_id, "deals", deal_id, TASK_TO_DEAL))
    return tasks, links


def generate(cast: Cast) -> dict[str, Any]:
    """Build the `hubspot` section of the sandbox seed."""
    rng = random.Random(20260301)
    report_form_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    companies = [_company(c, rng) for c in cast.companies]
    contacts = [_contact(c, cast.company(c.company_id), rng) for c in cast.contacts]
    associations = [
        _association("contacts", c.id, "companies", c.company_id, CONTACT_TO_COMPANY)
        for c in cast.contacts
    ]
    deals, deal_links = _deals(cast)
    notes, note_links = _notes(cast, rng)
    tasks, task_links = _tasks(cast, rng)
    return {
        "owners": _owners(cast),
        "companies": companies,
        "contacts": contacts,
        "deals": deals,
        "notes": notes,
        "tasks": tasks,
        "associations": associations + deal_links + note_links + task_links,
        "forms": hubspot_forms.forms(report_form_id),
        "form_submissions": hubspot_forms.submissions(cast, rng, report_form_id),
    }
