"""Deals in the CRM mirror: walked with their links, read per lead by index, kept fresh.

Identity resolution finds a lead's open deal in the mirror, with no HubSpot call; a deal's
webhook (or the modified-since poll) brings a change in; a deleted deal leaves.
"""

from __future__ import annotations

from sales_agent.bench.sandbox_calls import call_count, calls_since
from sales_agent.db.crm_mirror import deals_of
from sales_agent.memory.crm_sync import sync
from sales_agent.nodes.resolve_identity import lookup_identity
from sales_agent.services import Services
from sales_agent.triggers.hubspot_events import HubSpotEvent, handle_hubspot_events

SEEDED_DEALS = [str(n) for n in range(4001, 4013)]


def _event(event_id: int, kind: str, deal_id: str) -> HubSpotEvent:
    return HubSpotEvent.model_validate(
        {"eventId": event_id, "subscriptionType": kind, "objectId": int(deal_id),
         "occurredAt": 1_780_000_000_000 + event_id}
    )  # fmt: skip


def _links(services: Services) -> dict[str, tuple[set[str], set[str]]]:
    """Each seeded deal's contacts and companies, as HubSpot holds them (read live)."""
    hubspot = services.connectors.hubspot
    return {
        deal: (set(found.contact_ids), set(found.company_ids))
        for deal in SEEDED_DEALS
        for found in [hubspot.get_deal(deal)]
    }


def test_the_walk_mirrors_every_deal_with_its_links(services: Services) -> None:
    live = _links(services)
    contacts = {c for links, _ in live.values() for c in links}
    assert len(contacts) >= 6, "the seed links deals to several contacts"
    with services.pool.connection() as conn:
        for contact in contacts:
            mirrored = {d.id for d in deals_of(conn, contact_id=contact)}
            assert mirrored == {d for d, (cs, _) in live.items() if contact in cs}
        for company in {c for _, links in live.values() for c in links}:
            mirrored = {d.id for d in deals_of(conn, company_id=company)}
            assert mirrored == {d for d, (_, cs) in live.items() if company in cs}


def test_identity_takes_the_open_deal_from_the_mirror_without_a_call(services: Services) -> None:
    hubspot = services.connectors.hubspot
    open_deal = hubspot.get_deal("4002")  # contractsent: open
    contact = hubspot.get_contact(open_deal.contact_ids[0])
    lookup_identity(services, contact.email)  # the contact and company are mirrored now

    before = call_count(services)
    identity = lookup_identity(services, contact.email)

    assert identity.deal_id == "4002"
    assert [c.path for c in calls_since(services, before)] == []


def test_a_deal_webhook_and_the_poll_keep_the_mirror_fresh(services: Services) -> None:
    hubspot = services.connectors.hubspot
    contact = hubspot.get_contact(hubspot.get_deal("4001").contact_ids[0])  # closed won only
    assert lookup_identity(services, contact.email).deal_id is None

    created = hubspot.create_deal(
        {"dealname": "Second-site review", "dealstage": "appointmentscheduled"},
        contact_id=contact.id,
    )
    handle_hubspot_events(services, [_event(51, "deal.creation", created.id)])
    assert lookup_identity(services, contact.email).deal_id == created.id

    hubspot.update_deal(created.id, {"dealstage": "closedlost"})  # its webhook is lost
    sync(services.pool, hubspot)  # the modified-since poll reads it, links included
    assert lookup_identity(services, contact.email).deal_id is None
    with services.pool.connection() as conn:
        (polled,) = [d for d in deals_of(conn, contact_id=contact.id) if d.id == created.id]
    assert polled.stage == "closedlost" and polled.contact_ids == (contact.id,)

    hubspot.update_deal(created.id, {"dealstage": "contractsent"})
    handle_hubspot_events(services, [_event(52, "deal.propertyChange", created.id)])
    assert lookup_identity(services, contact.email).deal_id == created.id
    handle_hubspot_events(services, [_event(53, "deal.deletion", created.id)])
    assert lookup_identity(services, contact.email).deal_id is None
