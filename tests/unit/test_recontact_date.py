"""When a 'not now' asks to hear from us again, in the reader's seven languages."""

from datetime import date

import pytest

from sales_agent.nodes.offline.intent_rules import normalise
from sales_agent.nodes.offline.recontact import recontact_date

MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Budget is frozen until Q3.", date(2026, 7, 1)),
        ("Melden Sie sich gern im zweiten Quartal.", date(2026, 4, 1)),
        ("Revenez vers moi au prochain trimestre.", date(2026, 4, 1)),
        ("Try me after Q4", date(2027, 1, 1)),
        ("Let's talk after the summer.", date(2026, 9, 1)),
        ("Riparliamone dopo l'estate.", date(2026, 9, 1)),
        ("Neem na de zomer weer contact op.", date(2026, 9, 1)),
        ("Falamos depois do verão.", date(2026, 9, 1)),
        ("Escríbeme en septiembre.", date(2026, 9, 1)),
        ("Nach Ostern gerne wieder.", date(2026, 4, 7)),  # Easter Sunday 2026 is 5 April
        ("Mid-April would be better.", date(2026, 4, 15)),
        ("Recontactez-moi fin avril.", date(2026, 4, 30)),
        ("Give it a couple of weeks.", date(2026, 3, 16)),
        ("Dans quinze jours, merci.", date(2026, 3, 16)),
        ("Try me next week", date(2026, 3, 9)),
        ("Let's pick this up in the new year.", date(2027, 1, 5)),
        ("Ask me in Q2, after our audit in May.", date(2026, 4, 1)),  # the first one named
    ],
)
def test_a_recontact_expression_resolves_to_its_first_welcome_day(
    text: str, expected: date
) -> None:
    assert recontact_date(normalise(text), MONDAY) == expected


@pytest.mark.parametrize(
    "text",
    ["We may be interested later.", "Non ho mai tempo per queste cose.", "Not for us, thanks."],
)
def test_words_that_only_look_like_times_are_not_read(text: str) -> None:
    assert recontact_date(normalise(text), MONDAY) is None


def test_a_month_already_past_this_year_means_next_year() -> None:
    assert recontact_date(normalise("Try me in February"), MONDAY) == date(2027, 2, 1)
