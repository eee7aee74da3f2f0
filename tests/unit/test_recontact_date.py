"""When a 'not now' asks to hear from us again, in the reader's seven languages."""

from datetime import UTC, date, datetime

import pytest

from sales_agent.nodes.offline.intent_rules import normalise
from sales_agent.nodes.offline.recontact import recontact_dates
from sales_agent.nodes.offline.when import available_from

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
        ("Recontactez-moi fin avril.", date(2026, 5, 1)),  # April is spent
        ("Give it a couple of weeks.", date(2026, 3, 16)),
        ("Dans quinze jours, merci.", date(2026, 3, 16)),
        ("Try me next week", date(2026, 3, 9)),
        ("Let's pick this up in the new year.", date(2027, 1, 5)),
    ],
)
def test_a_recontact_expression_resolves_to_its_first_welcome_day(
    text: str, expected: date
) -> None:
    assert recontact_dates(normalise(text), MONDAY) == [expected]


@pytest.mark.parametrize(
    "text",
    ["We may be interested later.", "Non ho mai tempo per queste cose.", "Not for us, thanks."],
)
def test_words_that_only_look_like_times_are_not_read(text: str) -> None:
    assert recontact_dates(normalise(text), MONDAY) == []


def test_a_month_already_past_this_year_means_next_year() -> None:
    assert recontact_dates(normalise("Try me in February"), MONDAY) == [date(2027, 2, 1)]


NINE_AM = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # The latest date wins: the earlier ones name what keeps the writer away.
        ("Away from 27 March, back on Tuesday 7 April.", "en", date(2026, 4, 7)),
        ("Ask me in Q2, after our audit in May.", "en", date(2026, 5, 1)),
        (
            "Bis zur Messe Ende März ist hier Land unter. Melden Sie sich im April.",
            "de",
            date(2026, 4, 1),
        ),
        # A date that closes the absence: back the day after.
        ("On holiday up to and including Friday 13 March.", "en", date(2026, 3, 14)),
        ("Ich bin bis einschließlich 20.03.2026 nicht im Büro.", "de", date(2026, 3, 21)),
        ("Tot en met vrijdag 6 maart ben ik met vakantie.", "nl", date(2026, 3, 7)),
        ("Absente jusqu'au vendredi 13 mars inclus.", "fr", date(2026, 3, 14)),
        ("De vacaciones del 30 de marzo al 6 de abril, ambos inclusive.", "es", date(2026, 4, 7)),
        ("In Elternzeit bis voraussichtlich Ende Juni.", "de", date(2026, 7, 1)),
        # A bare "until X" is read as back on X.
        ("Ich bin bis zum 12. März nicht im Büro.", "de", date(2026, 3, 12)),
        # Month names count whatever language the message was taken for.
        ("Sarò assente fino a venerdì 6 marzo compreso.", "pt", date(2026, 3, 7)),
        ("Back on Monday.", "en", date(2026, 3, 9)),
        (
            "Fuera hasta el viernes 13 de marzo, me reincorporo el lunes 16.",
            "es",
            date(2026, 3, 16),
        ),
        # Background months (past this year) do not outrank the near dates.
        ("We signed in January; try me in April.", "en", date(2026, 4, 1)),
    ],
)
def test_the_first_day_the_writer_can_be_reached(text: str, language: str, expected: date) -> None:
    assert available_from(text, NINE_AM, language) == expected


def test_no_date_no_day() -> None:
    assert available_from("I am out of the office with limited access.", NINE_AM, "en") is None
