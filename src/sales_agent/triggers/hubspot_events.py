"""HubSpot webhook events: which ones start a follow-up, each exactly once.

- `contact.creation` from a form (`changeSource` FORM), and `contact.propertyChange` of
  a conversion property (a known contact submitted a form again), read the new form
  submissions (`form_submissions.sync_form_submissions`): the run is a `form` follow-up
  carrying the submission id and the message the lead typed.
- `contact.creation` from anywhere else but an import (created by hand, by the API, by an
  integration) starts a `manual` follow-up with the contact's email. Imports are skipped:
  a bulk load of contacts is not a crowd of leads waiting for a reply.
- Every contact's creation, change or restore is first read into the CRM mirror
  (`crm_sync.refresh_contact`), so the gate knows a contact created a second ago.
- A contact deleted (`contact.deletion`), erased (`contact.privacyDeletion`) or merged
  into another (`contact.merge`: the merged ones go, the primary is read again) leaves the
  mirror and the gate's names (`crm_deletions.forget`).
- A deal created, changed or restored (`deal.creation`, `deal.propertyChange`,
  `deal.restore`) is read into the mirror with its links; a deleted one (`deal.deletion`)
  leaves it.
- Every other event is acknowledged and ignored.

The webhook records each event id as it queues the event (`webhook_queue.py`), so a
redelivery is acknowledged and ignored; the `webhooks.hubspot` job calls
`handle_hubspot_events` on the new ones.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Final, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from sales_agent.db.crm_deletions import Deletion
from sales_agent.db.crm_mirror import upsert_deals
from sales_agent.domain import Trigger
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.errors import ConnectorError
from sales_agent.jobs.enqueue import enqueue_followup
from sales_agent.memory.crm_deletions import forget
from sales_agent.memory.crm_sync import refresh_contact
from sales_agent.services import Services
from sales_agent.triggers.form_submissions import sync_form_submissions

__all__ = ["HUBSPOT_EVENTS", "MAX_OCCURRED_AT", "HubSpotEvent", "handle_hubspot_events"]

logger = logging.getLogger(__name__)

_SOURCE: Final = "hubspot"
_CONVERSION_PROPERTIES = frozenset({"recent_conversion_date", "num_conversion_events"})
# A form's submission is stored a moment before HubSpot sends the event about it.
_SUBMISSION_LEAD = timedelta(minutes=5)
_MIRRORED_EVENTS = frozenset({"contact.creation", "contact.propertyChange", "contact.restore"})
_DELETION_EVENTS = frozenset({"contact.deletion", "contact.privacyDeletion"})
_MERGE_EVENT = "contact.merge"
_DEAL_EVENTS = frozenset({"deal.creation", "deal.propertyChange", "deal.restore"})
_DEAL_DELETION = "deal.deletion"


MAX_OCCURRED_AT = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z in epoch milliseconds: the last instant a datetime holds."""


class HubSpotEvent(BaseModel):
    """One event of a HubSpot webhook delivery (the fields we use; others are kept)."""

    model_config = ConfigDict(populate_by_name=True, extra="allow", frozen=True)

    event_id: int = Field(alias="eventId", description="Unique per event; retries repeat it.")
    subscription_type: str = Field(alias="subscriptionType", examples=["contact.creation"])
    object_id: int = Field(alias="objectId", description="The contact's (or deal's) id.")
    # Strict and bounded: the job turns it into a datetime, which holds years 1 to 9999; an
    # event it cannot turn is refused here (422), not acknowledged and then failed for good.
    occurred_at: int = Field(
        alias="occurredAt",
        strict=True,
        ge=0,
        le=MAX_OCCURRED_AT,
        description="Epoch milliseconds (1970 to 9999).",
    )
    property_name: str | None = Field(default=None, alias="propertyName")
    change_source: str | None = Field(default=None, alias="changeSource", examples=["FORM"])
    merged_object_ids: list[int] = Field(
        default_factory=list,
        alias="mergedObjectIds",
        description="contact.merge: the contacts merged (gone, unless one is the primary).",
    )
    primary_object_id: int | None = Field(
        default=None, alias="primaryObjectId", description="contact.merge: the one kept."
    )

    @model_validator(mode="after")
    def _storable(self) -> Self:
        # The event is queued as JSON in Postgres, which cannot store a NUL character.
        if _holds_nul(self.model_dump(mode="json", by_alias=True)):
            raise ValueError("the event holds a NUL character (\\u0000), which is not text")
        return self

    @property
    def occurred(self) -> datetime:
        """When it happened, on HubSpot's clock."""
        return datetime.fromtimestamp(self.occurred_at / 1000, UTC)

    @property
    def deleted_ids(self) -> list[str]:
        """The contacts this event takes out of the CRM (deleted, erased, merged away)."""
        if self.subscription_type in _DELETION_EVENTS:
            return [str(self.object_id)]
        if self.subscription_type != _MERGE_EVENT:
            return []
        kept = {self.primary_object_id or self.object_id, self.object_id}
        return [str(i) for i in self.merged_object_ids if i not in kept]

    @property
    def is_form(self) -> bool:
        """True when the event means a form was submitted."""
        if self.subscription_type == "contact.creation":
            return self.change_source == "FORM"
        return (
            self.subscription_type == "contact.propertyChange"
            and self.property_name in _CONVERSION_PROPERTIES
        )

    @property
    def is_new_contact(self) -> bool:
        """True for a contact created other than by a form or an import."""
        return self.subscription_type == "contact.creation" and self.change_source not in (
            "FORM",
            "IMPORT",
        )


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


HUBSPOT_EVENTS = TypeAdapter(list[HubSpotEvent])
"""A delivery: the JSON array HubSpot posts."""


_QUEUED = """
SELECT run_id::text AS run_id FROM runs
WHERE thread_id = %(thread_id)s AND metadata->>'hubspot_event_id' = %(event_id)s
"""


def handle_hubspot_events(services: Services, events: list[HubSpotEvent]) -> tuple[str, ...]:
    """Queue the runs new events call for (the `webhooks.hubspot` job); the run ids.

    Idempotent, so the job can be retried after a failure half-way: form submissions are
    remembered by id (`sync_form_submissions`), and a contact's run carries its event id,
    so a retry finds the run it queued before instead of queueing another.
    """
    _mirror_contacts(services, events)
    _mirror_deals(services, events)
    run_ids: list[str] = []
    forms = [e for e in events if e.is_form]
    if forms:
        first = min(e.occurred_at for e in forms)
        since = datetime.fromtimestamp(first / 1000, UTC) - _SUBMISSION_LEAD
        metadata = {"hubspot_event_ids": [e.event_id for e in forms]}
        run_ids.extend(sync_form_submissions(services, since=since, metadata=metadata).run_ids)
    for event in events:
        if event.is_new_contact and (run_id := _new_contact_run(services, event)) is not None:
            run_ids.append(run_id)
    return tuple(run_ids)


def _mirror_contacts(services: Services, events: list[HubSpotEvent]) -> None:
    """Deletions first, then the contacts changed (a merge's primary among them)."""
    deletions = [Deletion(i, e.occurred) for e in events for i in e.deleted_ids]
    if deletions:
        removed = forget(services.pool, "contacts", deletions)
        logger.info("hubspot deleted %d contacts; %d left the mirror", len(deletions), removed)
    merged = {_MERGE_EVENT, *_MIRRORED_EVENTS}
    changed = dict.fromkeys(
        str(e.primary_object_id or e.object_id) for e in events if e.subscription_type in merged
    )
    for contact_id in changed:
        try:
            refresh_contact(services.pool, services.connectors.hubspot, contact_id)
        except ConnectorError as error:
            if error.status != 404:
                raise
            logger.info("hubspot contact %s is gone; not mirrored", contact_id)


def _mirror_deals(services: Services, events: list[HubSpotEvent]) -> None:
    """Deals deleted leave the mirror; deals created or changed are read in with their links."""
    deleted = [
        Deletion(str(e.object_id), e.occurred)
        for e in events
        if e.subscription_type == _DEAL_DELETION
    ]
    if deleted:
        forget(services.pool, "deals", deleted)
    changed = dict.fromkeys(str(e.object_id) for e in events if e.subscription_type in _DEAL_EVENTS)
    for deal_id in changed:
        try:
            deal = services.connectors.hubspot.get_deal(deal_id)
        except ConnectorError as error:
            if error.status != 404:
                raise
            logger.info("hubspot deal %s is gone; not mirrored", deal_id)
            continue
        with services.pool.connection() as conn:
            upsert_deals(conn, [deal])


def _new_contact_run(services: Services, event: HubSpotEvent) -> str | None:
    try:
        contact = services.connectors.hubspot.get_contact(str(event.object_id))
    except ConnectorError as error:
        if error.status != 404:
            raise
        logger.info("hubspot contact %s is gone; event %s skipped", event.object_id, event.event_id)
        return None
    try:
        trigger = Trigger(source="manual", contact_email=contact.email)
    except ValidationError:
        logger.warning("hubspot contact %s has no valid email; event skipped", contact.id)
        return None
    params = {"thread_id": thread_id_for(trigger), "event_id": str(event.event_id)}
    with services.pool.connection() as conn:
        queued = conn.execute(_QUEUED, params).fetchone()
    if queued is not None:
        return str(queued["run_id"])
    metadata = {"hubspot_event_id": event.event_id, "hubspot_contact_id": contact.id}
    return enqueue_followup(services, trigger, metadata=metadata)
