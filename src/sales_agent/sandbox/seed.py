"""The seeded workspace: the `data/*.json` files validated, then built relative to a date.

Dates in the seed are offsets ("days_ago" at a local time, calendar templates per day) so the
workspace always looks current, and the same start date always yields the same workspace.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from sales_agent.sandbox import _hubspot_seed as hubspot_seed
from sales_agent.sandbox._calendar_seed import SeedCalendars, build_calendars
from sales_agent.sandbox._calendar_store import CalendarStore
from sales_agent.sandbox._crm_store import CrmStore
from sales_agent.sandbox._drive_seed import SeedDrive
from sales_agent.sandbox._gmail_seed import SeedGmail, build_mailbox
from sales_agent.sandbox._gmail_store import GmailStore
from sales_agent.sandbox._hubspot_seed import Form, FormSubmission, SeedHubSpot

__all__ = [
    "SEED_CALENDAR_ID",
    "SEED_COMPANY_ID",
    "SEED_CONTACT_ID",
    "SEED_FORM_SUBMISSION_ID",
    "SEED_LEAD_EMAIL",
    "SEED_LEAD_THREAD_ID",
    "Form",
    "FormSubmission",
    "Operator",
    "SeedData",
    "build_calendar",
    "build_crm",
    "build_form_submissions",
    "build_forms",
    "build_gmail",
    "build_mailboxes",
    "read_seed",
]

# Ids in the seed data that code and tests name directly (a unit test keeps them in step).
SEED_LEAD_THREAD_ID = "thr-northwind-001"
SEED_LEAD_EMAIL = "priya@northwind-logistics.example"
SEED_CONTACT_ID = "1001"
SEED_COMPANY_ID = "2001"
SEED_FORM_SUBMISSION_ID = "form-sub-0001"
SEED_CALENDAR_ID = "dana@chaingepartners.example"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Operator(_Model):
    """The person whose mailbox, calendar and CRM the sandbox emulates."""

    name: str
    email: str
    time_zone: str
    company: str


class SeedData(_Model):
    """The whole seed file, validated."""

    operator: Operator
    gmail: SeedGmail
    calendar: SeedCalendars
    hubspot: SeedHubSpot
    drive: SeedDrive


SEED_SECTIONS = ("operator", "gmail", "calendar", "hubspot", "drive")
"""One file per section under `data/`, written by `python -m scripts.workspace`."""


@lru_cache(maxsize=1)
def read_seed() -> SeedData:
    """Read the packaged seed (once)."""
    data = resources.files(__package__).joinpath("data")
    return SeedData.model_validate(
        {
            section: json.loads(data.joinpath(f"{section}.json").read_text(encoding="utf-8"))
            for section in SEED_SECTIONS
        }
    )


def build_gmail(seed: SeedData, now: datetime) -> GmailStore:
    """Build the operator's mailbox with the seeded threads."""
    operator = seed.operator
    return build_mailbox(operator.email, seed.gmail.threads, operator.time_zone, now)


def build_mailboxes(seed: SeedData, now: datetime) -> dict[str, GmailStore]:
    """Build the other seeded mailboxes (the second persona's), keyed by address."""
    return {
        box.email: build_mailbox(box.email, box.threads, box.time_zone, now)
        for box in seed.gmail.mailboxes
    }


def build_calendar(seed: SeedData, now: datetime) -> CalendarStore:
    """Build every calendar's events around `now`; `primary` is the operator's."""
    return build_calendars(seed.calendar, now, primary=seed.operator.email)


def build_crm(seed: SeedData, now: datetime) -> CrmStore:
    """Build the CRM: owners, companies, contacts, deals, notes and tasks, associated."""
    return hubspot_seed.build_crm(seed.hubspot, now)


def build_forms(seed: SeedData, now: datetime) -> list[Form]:
    """Build the HubSpot form definitions."""
    return hubspot_seed.build_forms(seed.hubspot, now)


def build_form_submissions(seed: SeedData, now: datetime) -> list[FormSubmission]:
    """Build the seeded form submissions, newest first as the forms API lists them."""
    return hubspot_seed.build_form_submissions(seed.hubspot, seed.operator.time_zone, now)
