"""A contact created after the process started is known to the gate at once.

The process starts without reading the CRM; its gate reads the mirror's names through an
automaton kept at the mirror's version. A webhook's event (or a live lookup on a miss)
mirrors the new contact, and the next draft naming them is caught.
"""

from __future__ import annotations

from sales_agent.db.crm_mirror import contact_by_email
from sales_agent.domain import Draft, GateStatus
from sales_agent.nodes.resolve_identity import lookup_identity
from sales_agent.policy.gate_context import GateContext, gather_gate_context
from sales_agent.policy.quality import evaluate_draft
from sales_agent.services import Services
from sales_agent.triggers.hubspot_events import HubSpotEvent, handle_hubspot_events

KOFI = "kofi.hughes@mueller-soehne.example"
BODY = "Hi Kofi,\n\nThanks for the notes. {mention}\n\nWould Tuesday at 10:00 work?\n\nDana"


def _context(services: Services) -> GateContext:
    recipient = lookup_identity(services, KOFI)
    with services.pool.connection() as conn:
        return gather_gate_context(
            conn, settings=services.settings, voice=services.voice,
            names=services.crm_names, recipient=recipient,
        )  # fmt: skip


def _leaks(services: Services, mention: str) -> set[str]:
    draft = Draft(to=(KOFI,), subject="Re: Notes", body=BODY.format(mention=mention))
    result = evaluate_draft(draft, _context(services))
    return {v.check for v in result.violations if result.status is GateStatus.FAIL}


def test_a_contact_created_by_webhook_after_start_is_caught(services: Services) -> None:
    mention = "Zofia Wójcik-Nowak said the same last week."
    assert _leaks(services, mention) == set()  # the automaton is built, without her
    created = services.connectors.hubspot.create_contact(
        {"firstname": "Zofia", "lastname": "Wójcik-Nowak", "email": "zofia@kraków-cargo.example"}
    )
    event = HubSpotEvent.model_validate(
        {"eventId": 91001, "subscriptionType": "contact.creation", "objectId": int(created.id),
         "occurredAt": 1_780_000_000_000, "changeSource": "IMPORT"}
    )  # fmt: skip

    handle_hubspot_events(services, [event])

    assert _leaks(services, mention) == {"pii"}


def test_a_contact_found_live_on_a_miss_is_mirrored_and_caught(services: Services) -> None:
    email = "ikaika.kealoha@mauna-freight.example"
    mention = "Ikaika Kealoha asked the same thing."
    services.connectors.hubspot.create_contact(
        {"firstname": "Ikaika", "lastname": "Kealoha", "email": email}
    )
    assert _leaks(services, mention) == set()  # no webhook came: not mirrored yet

    found = lookup_identity(services, email)  # a run for them resolves their identity

    assert found.contact_id is not None
    with services.pool.connection() as conn:
        assert contact_by_email(conn, email) is not None
    assert _leaks(services, mention) == {"pii"}
