"""Notes and tasks: what the agent writes onto contacts, companies and deals."""

from __future__ import annotations

from datetime import UTC, datetime

from sales_agent.connectors.hubspot_models import CrmFilter, CrmTask
from sales_agent.connectors.hubspot_objects import (
    NOTE_TO_COMPANY,
    NOTE_TO_CONTACT,
    TASK_TO_COMPANY,
    TASK_TO_CONTACT,
    TASK_TO_DEAL,
    HubSpotObjects,
    Link,
)
from sales_agent.connectors.hubspot_parse import (
    NOTE_PROPERTIES,
    TASK_PROPERTIES,
    parse_note,
    parse_task,
)
from sales_agent.connectors.records import CrmNote

__all__ = ["HubSpotEngagements"]


def _hubspot_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _links(*pairs: tuple[str | None, int]) -> list[Link]:
    return [(target, type_id) for target, type_id in pairs if target is not None]


class HubSpotEngagements(HubSpotObjects):
    """Create and read notes and tasks, with their associations."""

    def create_note(
        self, body: str, contact_id: str, company_id: str | None, timestamp: datetime
    ) -> str:
        """Write a note attached to the contact (and company); return the note id."""
        properties = {"hs_note_body": body, "hs_timestamp": _hubspot_time(timestamp)}
        links = _links((contact_id, NOTE_TO_CONTACT), (company_id, NOTE_TO_COMPANY))
        return str(self._create("notes", properties, links).id)

    def _find_containing(
        self, kind: str, body_property: str, properties: list[str], contact_id: str, text: str
    ) -> str | None:
        ids = self._linked_ids("contacts", contact_id, kind)
        for record in self._read_many(kind, ids, properties):
            if text in (record.properties.get(body_property) or ""):
                return str(record.id)
        return None

    def find_note_containing(self, contact_id: str, text: str) -> str | None:
        """The id of a note on the contact whose body contains `text` (a reference), if any.

        A recovery path: it reads the contact's notes, so an attempt that died after creating
        a note can find it instead of writing a second one.
        """
        return self._find_containing("notes", "hs_note_body", NOTE_PROPERTIES, contact_id, text)

    def find_task_containing(self, contact_id: str, text: str) -> str | None:
        """The id of a task on the contact whose body contains `text`; the same recovery path."""
        return self._find_containing("tasks", "hs_task_body", TASK_PROPERTIES, contact_id, text)

    def update_note(self, note_id: str, body: str) -> None:
        """Replace a note's body (setting the same body twice changes nothing)."""
        self._update("notes", note_id, {"hs_note_body": body})

    def complete_task(self, task_id: str, body: str) -> None:
        """Mark a task completed, its body saying why (idempotent like any update)."""
        self._update("tasks", task_id, {"hs_task_status": "COMPLETED", "hs_task_body": body})

    def find_task_with_token(self, token: str) -> str | None:
        """The id of a task whose body holds the word `token` (a reference), if any.

        The recovery path for a task on no contact: CRM search finds it by that word.
        """
        match = CrmFilter(property="hs_task_body", operator="CONTAINS_TOKEN", value=token)
        records, _, _ = self._search("tasks", [match], TASK_PROPERTIES, limit=1)
        return str(records[0].id) if records else None

    def reopen_task(self, task_id: str, body: str) -> None:
        """Mark a completed task to do again, its body saying why (idempotent)."""
        self._update("tasks", task_id, {"hs_task_status": "NOT_STARTED", "hs_task_body": body})

    def get_note(self, note_id: str) -> CrmNote:
        """Read a note back with the contacts and companies it is attached to."""
        record = self._read("notes", note_id, NOTE_PROPERTIES, ["contacts", "companies"])
        return parse_note(record)

    def create_task(
        self,
        subject: str,
        body: str,
        due: datetime,
        *,
        contact_id: str | None = None,
        company_id: str | None = None,
        deal_id: str | None = None,
        owner_id: str | None = None,
    ) -> str:
        """Create an open to-do due at `due`, attached to the given records; return its id."""
        properties = {
            "hs_task_subject": subject,
            "hs_task_body": body,
            "hs_timestamp": _hubspot_time(due),
            "hs_task_status": "NOT_STARTED",
            "hs_task_type": "TODO",
        }
        if owner_id is not None:
            properties["hubspot_owner_id"] = owner_id
        links = _links(
            (contact_id, TASK_TO_CONTACT), (company_id, TASK_TO_COMPANY), (deal_id, TASK_TO_DEAL)
        )
        return str(self._create("tasks", properties, links).id)

    def get_task(self, task_id: str) -> CrmTask:
        """Read a task with the contacts, companies and deals it is attached to."""
        record = self._read("tasks", task_id, TASK_PROPERTIES, ["contacts", "companies", "deals"])
        return parse_task(record)
