"""The in-memory state of one sandbox server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sales_agent.sandbox._calendar_store import CalendarStore
from sales_agent.sandbox._crm_store import CrmStore
from sales_agent.sandbox._gmail_store import GmailStore
from sales_agent.sandbox.seed import (
    FormSubmission,
    Operator,
    build_calendar,
    build_crm,
    build_form_submissions,
    build_gmail,
    read_seed,
)

__all__ = ["Workspace"]


@dataclass
class Workspace:
    """Mailbox, calendars, CRM and form submissions, seeded relative to `started_at`."""

    started_at: datetime
    operator: Operator
    gmail: GmailStore
    calendar: CalendarStore
    crm: CrmStore
    form_submissions: list[FormSubmission]

    @classmethod
    def from_seed(cls, started_at: datetime | None = None) -> Workspace:
        """Build a seeded workspace; the same `started_at` always gives the same one."""
        now = started_at or datetime.now(UTC)
        seed = read_seed()
        return cls(
            started_at=now,
            operator=seed.operator,
            gmail=build_gmail(seed, now),
            calendar=build_calendar(seed, now),
            crm=build_crm(seed, now),
            form_submissions=build_form_submissions(seed, now),
        )
