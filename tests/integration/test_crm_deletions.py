"""Contacts deleted, merged away or erased in HubSpot leave the CRM mirror and the gate.

HubSpot's webhooks tell at once; the sweep of archived records catches a deletion whose
webhook never came; a poll page read before a deletion cannot bring the contact back.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from sales_agent.connectors.hubspot_models import ArchivedRecord, CrmPage
from sales_agent.db.crm_mirror import contact_by_email, upsert_contacts
from sales_agent.domain import Draft, GateStatus
from sales_agent.domain.crm_records import CrmContact
from sales_agent.memory.crm_deletions import SWEEP_EVERY
from sales_agent.memory.crm_sync import sync
from sales_agent.nodes.resolve_identity import lookup_identity
from sales_agent.policy.gate_context import gather_gate_context
from sales_agent.policy.quality import evaluate_draft
from sales_agent.services import Services
from sales_agent.triggers.hubspot_events import HubSpotEvent, handle_hubspot_events

KOFI = "kofi.hughes@mueller-soehne.example"
BODY = "Hi Kofi,\n\nThanks. {name} said the same.\n\nWould Tuesday at 10:00 work?\n\nDana"
OCCURRED = 1_780_000_000_000  # epoch ms, on HubSpot's clock


def _leaks(services: Services, name: str) -> bool:
    """Whether the gate refuses a draft to Kofi that names `name` (a CRM person's name)."""
    recipient = lookup_identity(services, KOFI)
    with services.pool.connection() as conn:
        context = gather_gate_context(
            conn, settings=services.settings, voice=services.voice,
            names=services.crm_names, recipient=recipient,
        )  # fmt: skip
    draft = Draft(to=(KOFI,), subject="Re: Notes", body=BODY.format(name=name))
    result = evaluate_draft(draft, context)
    return result.status is GateStatus.FAIL and "pii" in {v.check for v in result.violations}


def _event(event_id: int, kind: str, object_id: str, **extra: object) -> HubSpotEvent:
    return HubSpotEvent.model_validate(
        {"eventId": event_id, "subscriptionType": kind, "objectId": int(object_id),
         "occurredAt": OCCURRED + event_id, **extra}
    )  # fmt: skip


def _create(services: Services, first: str, last: str, event_id: int) -> CrmContact:
    """A contact created in HubSpot and mirrored by its webhook (an import: no follow-up)."""
    email = f"{first}.{last}@tidewater-freight.example".lower()
    contact = services.connectors.hubspot.create_contact(
        {"firstname": first, "lastname": last, "email": email}
    )
    creation = _event(event_id, "contact.creation", contact.id, changeSource="IMPORT")
    handle_hubspot_events(services, [creation])
    return contact


def _mirrored(services: Services, email: str) -> bool:
    with services.pool.connection() as conn:
        return contact_by_email(conn, email) is not None


def _hubspot(services: Services, method: str, path: str, body: object = None) -> None:
    url = f"{services.sandbox_url}/crm/v3/objects/contacts{path}"
    httpx.request(method, url, json=body, timeout=10).raise_for_status()


def test_deleted_merged_and_erased_contacts_leave_the_mirror_and_the_gate(
    services: Services,
) -> None:
    gone = _create(services, "Oluwaseun", "Adebayo-Kraft", 1)
    merged = _create(services, "Marisol", "Quintanilla", 2)
    erased = _create(services, "Zbigniew", "Wierzbicki", 3)
    kept = _create(services, "Ingrid", "Solbakken", 4)
    names = ["Oluwaseun Adebayo-Kraft", "Marisol Quintanilla", "Zbigniew Wierzbicki"]
    assert all(_leaks(services, name) for name in [*names, "Ingrid Solbakken"])

    _hubspot(services, "DELETE", f"/{gone.id}")
    _hubspot(services, "POST", "/merge", {"primaryObjectId": kept.id, "objectIdToMerge": merged.id})
    _hubspot(services, "POST", "/gdpr-delete", {"objectId": erased.id})
    events = [
        _event(11, "contact.deletion", gone.id),
        _event(
            12,
            "contact.merge",
            kept.id,
            primaryObjectId=int(kept.id),
            mergedObjectIds=[int(merged.id)],
        ),
        _event(13, "contact.privacyDeletion", erased.id),
    ]
    handle_hubspot_events(services, events)
    handle_hubspot_events(services, events)  # a redelivery changes nothing

    for contact, name in zip((gone, merged, erased), names, strict=True):
        assert not _mirrored(services, contact.email), contact.email
        assert not _leaks(services, name), f"{name} is no longer a CRM name"
        assert not services.crm_names.knows(contact.email)  # as the gate's refresh left it
        # Not one word of the name is held either (the log redactor reads those).
        assert services.crm_names.found_in(name) == []
    assert _mirrored(services, kept.email) and _leaks(services, "Ingrid Solbakken")
    assert services.crm_names.knows(kept.email)


def test_the_sweep_removes_a_deletion_no_webhook_told_of(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost = _create(services, "Adaeze", "Okonkwo-Lindqvist", 21)
    assert _leaks(services, "Adaeze Okonkwo-Lindqvist")
    _hubspot(services, "DELETE", f"/{lost.id}")  # the deletion's webhook is lost
    hubspot = services.connectors.hubspot
    asked: list[str | None] = []
    list_archived = hubspot.list_archived

    def spy(
        object_type: str, *, limit: int = 100, after: str | None = None
    ) -> CrmPage[ArchivedRecord]:
        asked.append(after)
        return list_archived(object_type, limit=limit, after=after)  # type: ignore[arg-type]

    monkeypatch.setattr(hubspot, "list_archived", spy)
    # The first start's sync swept a moment ago: the archived records wait for the hour.
    assert sync(services.pool, hubspot).removed == 0 and asked == []
    with services.pool.connection() as conn:
        conn.execute(
            "UPDATE crm_sync_cursors SET archived_done_at = archived_done_at - %s",
            [SWEEP_EVERY],
        )

    report = sync(services.pool, hubspot)

    assert report.removed == 1 and not _mirrored(services, lost.email)
    assert asked == [None, None, None]  # one page each: archived companies, contacts, deals
    assert not _leaks(services, "Adaeze Okonkwo-Lindqvist")
    sync(services.pool, hubspot, full=True)  # a full sync sweeps every time
    assert asked == [None] * 6


def test_a_snapshot_older_than_the_deletion_does_not_bring_the_contact_back(
    services: Services,
) -> None:
    contact = _create(services, "Baptiste", "Lefebvre-Arslan", 31)
    assert contact.modified_at is not None
    _hubspot(services, "DELETE", f"/{contact.id}")
    deleted_at_ms = int((contact.modified_at + timedelta(minutes=5)).timestamp() * 1000)
    deletion = _event(32, "contact.deletion", contact.id)
    handle_hubspot_events(services, [deletion.model_copy(update={"occurred_at": deleted_at_ms})])

    with services.pool.connection() as conn:
        upsert_contacts(conn, [contact])  # a poll page read before the deletion
    assert not _mirrored(services, contact.email)
    assert not _leaks(services, "Baptiste Lefebvre-Arslan")

    restored = contact.model_copy(update={"modified_at": contact.modified_at + timedelta(hours=1)})
    with services.pool.connection() as conn:
        upsert_contacts(conn, [restored])  # restored in HubSpot after its deletion
    assert _mirrored(services, contact.email)
    assert _leaks(services, "Baptiste Lefebvre-Arslan")
