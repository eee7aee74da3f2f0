"""The in-memory state of one sandbox server."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sales_agent.sandbox._calendar_store import CalendarStore
from sales_agent.sandbox._crm_store import CrmStore
from sales_agent.sandbox._drive_seed import build_drive
from sales_agent.sandbox._drive_store import DriveStore
from sales_agent.sandbox._gmail_store import GmailStore
from sales_agent.sandbox.seed import (
    Form,
    FormSubmission,
    Operator,
    build_calendar,
    build_crm,
    build_form_submissions,
    build_forms,
    build_gmail,
    build_mailboxes,
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
    drive: DriveStore
    form_submissions: list[FormSubmission]
    # Mailboxes other than the operator's (userId = their address), for voice tests.
    gmail_mailboxes: dict[str, GmailStore] = field(default_factory=dict)
    # HubSpot form definitions, which the form submissions refer to by id.
    forms: list[Form] = field(default_factory=list)
    # Generated contacts on top of the seed (`sandbox --scale N`); a reset keeps them.
    scale: int = 0

    @classmethod
    def from_seed(cls, started_at: datetime | None = None, *, scale: int = 0) -> Workspace:
        """Build a seeded workspace; the same `started_at` and `scale` give the same one.

        `scale` adds that many generated contacts (with N/5 companies, 2N messages and N/10
        Drive files) to the seeded ones, see `_scale.add_scale`.
        """
        from sales_agent.sandbox._scale import add_scale  # it builds on a finished workspace

        now = started_at or datetime.now(UTC)
        seed = read_seed()
        workspace = cls(
            started_at=now,
            operator=seed.operator,
            gmail=build_gmail(seed, now),
            calendar=build_calendar(seed, now),
            crm=build_crm(seed, now),
            drive=build_drive(seed.drive, now, time_zone=seed.operator.time_zone),
            form_submissions=build_form_submissions(seed, now),
            gmail_mailboxes=build_mailboxes(seed, now),
            forms=build_forms(seed, now),
            scale=scale,
        )
        if scale:
            add_scale(workspace, scale)
        return workspace
