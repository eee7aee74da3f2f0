"""Whom a referral hands over to: the narrow rule for addresses a reply's text names."""

from __future__ import annotations

from sales_agent.domain.crm_records import CrmContact
from sales_agent.nodes._referral import MAX_REFERRED, introduced_first_name, referred_colleagues

SENDER = "j.pargeter@severnside-chemicals.example"
OPERATOR = "dana@chaingepartners.example"


def _colleague(first: str, last: str, email: str) -> CrmContact:
    return CrmContact(id=email, email=email, first_name=first, last_name=last)


def test_an_address_at_the_senders_own_domain_is_the_handover() -> None:
    text = "Drum storage sits with Rachel Ibbotson (Rachel.Ibbotson@Severnside-Chemicals.example)."
    found = referred_colleagues(text, sender=SENDER, known={OPERATOR})
    assert found == ("rachel.ibbotson@severnside-chemicals.example",)


def test_addresses_elsewhere_or_already_known_are_never_taken_from_the_text() -> None:
    text = (
        "Write to mike@durant-furniture.example, or to me at j.pargeter@severnside-chemicals"
        ".example, or to dana@chaingepartners.example."
    )
    assert referred_colleagues(text, sender=SENDER, known={OPERATOR}) == ()


def test_a_crm_colleague_named_in_full_is_the_handover_when_no_address_is_written() -> None:
    colleagues = [
        _colleague("Siobhán", "Ferreira", "siobhan.ferreira@severnside-chemicals.example"),
        _colleague("Ruth", "Gallagher", "ruth@severnside-chemicals.example"),
    ]
    text = "The person who makes the call is Siobhan Ferreira, our Supply Chain Manager."
    found = referred_colleagues(text, sender=SENDER, known={OPERATOR}, colleagues=colleagues)
    assert found == ("siobhan.ferreira@severnside-chemicals.example",)
    # A first name alone could be anyone: nobody is introduced.
    vague = referred_colleagues("Ask Siobhán.", sender=SENDER, known=(), colleagues=colleagues)
    assert vague == ()


def test_a_list_of_addresses_is_cut_to_a_handover() -> None:
    domain = "severnside-chemicals.example"
    text = " ".join(f"p{n}@{domain}" for n in range(5))
    assert len(referred_colleagues(text, sender=SENDER, known=())) == MAX_REFERRED


def test_the_first_name_is_read_from_the_text_around_the_address() -> None:
    german = "Zuständig ist mein Kollege Tobias Brüning (t.bruening@x.example)."
    assert introduced_first_name("t.bruening@x.example", german) == "Tobias"
    assert introduced_first_name("iker.saenz@x.example", "mi socio, Íker Sáenz.") == "Íker"
    assert introduced_first_name("m.tarquini@x.example", "ing. Marco Tarquini, che") == "Marco"
    assert introduced_first_name("ops@x.example", "Write to the ops desk.") is None
