"""A lead the CRM does not name is greeted by the name their address bears out."""

from __future__ import annotations

import pytest

from sales_agent.nodes.resolve_identity import name_from_display


@pytest.mark.parametrize(
    ("display", "email", "name"),
    [
        # The address starts with the first name, its initial, its initials or the initial
        # and the surname.
        ("Roderick Blaylock", "r.blaylock@grocer.example", ("Roderick", "Blaylock")),
        ("Maya Lindqvist", "maya.lindqvist@foods.example", ("Maya", "Lindqvist")),
        ("Marie-Laure Stockmans", "ml.stockmans@choc.example", ("Marie-Laure", "Stockmans")),
        ("Guillaume Bourbonnais", "gbourbonnais@ferme.example", ("Guillaume", "Bourbonnais")),
        ("Clémence Vance", "clemence.vance@x.example", ("Clémence", "Vance")),
        ("joost haverkamp", "joost@bollen.example", ("Joost", "haverkamp")),
        # Not a name the address bears out, an initial, one word, or "Last, First".
        ("Jan de Vries", "info@vries.example", (None, None)),
        ("T. Oakley", "t.oakley@fasteners.example", (None, None)),
        ("Aoife", "aoife@reception.example", (None, None)),
        ("Blaylock, Roderick", "r.blaylock@grocer.example", (None, None)),
        ("", "r.blaylock@grocer.example", (None, None)),
    ],
)
def test_a_display_name_names_the_lead_when_the_address_agrees(
    display: str, email: str, name: tuple[str | None, str | None]
) -> None:
    assert name_from_display(display, email) == name
