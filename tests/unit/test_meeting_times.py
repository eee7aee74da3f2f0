"""The days and hours a lead offers: ranges, proposed hours, parts of the day, exceptions."""

from __future__ import annotations

from datetime import time

import pytest

from sales_agent.nodes.offline.meeting_times import meeting_preferences, stated_time_zone

WORKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        # A range, its start taking the end's pm; in other languages too.
        ("Friday between 2 and 4pm is good.", time(14), time(16)),
        ("Donnerstag zwischen 14 und 16 Uhr passt.", time(14), time(16)),
        # A word for o'clock makes the number a time ("16 uur", "14 heures", "15 horas"), and
        # French "à" proposes one when the hour is written as one ("à 10h").
        ("Donderdag tussen 14 en 16 uur.", time(14), time(16)),
        ("Kan het donderdag om 10 uur?", time(10), time(11)),
        ("Jeudi à 10h ?", time(10), time(11)),
        ("Jeudi à 14 heures, ça vous va ?", time(14), time(15)),
        ("Quinta às 15 horas.", time(15), time(16)),
        ("Jeudi, on a 10 personnes au quai.", None, None),
        ("mercoledì dalle 10 alle 12", time(10), time(12)),
        ("le 12 mars de 10h à 12h", time(10), time(12)),
        # A bare afternoon hour is business hours; the part of the day adds the other bound.
        ("Monday late afternoon, after 4 if possible.", time(16), None),
        ("Thursday morning, ideally before 11.", None, time(11)),
        ("Afternoons, but before 4 please.", time(13), time(16)),
        # An hour they propose: from it to an hour after, never earlier.
        ("Friday late morning works, say 11?", time(11), time(12)),
        ("Monday, 8:30? Before the shift meeting.", time(8, 30), time(9, 30)),
        ("Could we grab a coffee around 3ish?", time(15), time(16)),
        ("Wednesday 4th, half two?", time(14, 30), time(15, 30)),
        # Ranges with no word before them; a shift pattern is no range.
        ("Let's do lunchtime Tuesday - 12 till 2 is free.", time(12), time(14)),
        ("I'm free 12:30-13:30 on Monday 16th.", time(12, 30), time(13, 30)),
        ("Our line runs 6-2 and 2-10. Could we talk Monday?", None, None),
        # "not before" is an "after"; "before then", said to suit, points back at the hour.
        ("Monday or Tuesday, but not before 9:30 as I do the school run.", time(9, 30), None),
        ("I'm on the floor from 11 so anytime before then is best.", None, time(11)),
        ("I'm free from 11 and anything before then is not possible.", time(11), None),
        (
            "Thursday morning, before 11 if you can, I'm on the plant floor after that.",
            None,
            time(11),
        ),
        ("call wed pm?", time(13), None),
        # Parts of the day, and the one they prefer when both are named.
        ("Late afternoon after the sessions end?", time(15), None),
        ("Tuesday afternoon suits me best, I'm on site in the mornings.", time(13), None),
        # The first bound named is the offer when two leave no time ("from 11" is the reason).
        ("Wednesday morning, before 11 - we have meetings from 11.", None, time(11)),
        # ...unless the other one is said to suit: then the first is the reason.
        ("On the floor until 3 most days, so anything after 4pm is best.", time(16), None),
        # An hour written with am or pm needs no "at", in a question or beside a day...
        ("tues 3pm?", time(15), time(16)),
        # ...but a time in a statement about their work proposes nothing.
        ("We ship by 6pm daily. Could we talk Wednesday?", None, None),
        # A range they cannot do is not an offer.
        ("Vendredi, n'importe quelle heure sauf entre 12h et 14h.", None, None),
        # Counts and spans of time are not hours.
        ("We run 3 sites at 2 locations.", None, None),
        ("Let's talk again after 2 months, before 3 weeks are up.", None, None),
        ("Can we speak after 2 hours of testing?", None, None),
    ],
)
def test_the_hours_a_lead_offers(text: str, earliest: time | None, latest: time | None) -> None:
    assert meeting_preferences(text)[1:] == (earliest, latest)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Any day next week except Monday works.", WORKDAYS[1:]),
        ("Jeder Tag außer Mittwoch und Freitag.", ("Monday", "Tuesday", "Thursday")),
        (
            "Any morning but not Tuesday (Tuesdays are production meetings).",
            ("Monday", "Wednesday", "Thursday", "Friday"),
        ),
        ("Mondays are the worst. Tuesday or Wednesday would be best.", WORKDAYS[1:3]),
        ("Mondays and Fridays are out, any other day is fine.", WORKDAYS[1:4]),
        ("Fine. 15 mins. Wed.", ("Wednesday",)),
        # A span of days, and the days around "but", "bar" and commas.
        (
            "Tied up at the Crewe site Monday to Wednesday. Thursday or Friday works.",
            WORKDAYS[3:],
        ),
        ("Any afternoon bar Thursday.", ("Monday", "Tuesday", "Wednesday", "Friday")),
        ("Dienstag zwischen 8 und 9 Uhr, später bin ich nicht erreichbar.", ("Tuesday",)),
        # The day they are away until, or back on, is not the day they offer.
        ("On leave till Friday. Can we speak Monday 9th?", ("Monday",)),
        ("Je suis en vacances jusqu'à vendredi. Jeudi prochain ?", ("Thursday",)),
        ("Quita el martes, mejor el miércoles.", ("Wednesday",)),
    ],
)
def test_any_day_except(text: str, days: tuple[str, ...]) -> None:
    assert meeting_preferences(text)[0] == days


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Tuesday or Wednesday next week, 10am Eastern.", "America/New_York"),
        ("Pode ser quinta-feira às 10h (horário de Brasília)?", "America/Sao_Paulo"),
        ("Passt Ihnen Freitag um 11 Uhr Ihrer Zeit (London)?", "Europe/London"),
        ("Thursday after 4 CET works.", "Europe/Paris"),
        ("Thursday 8am PT?", "America/Los_Angeles"),
        # "uur" and "horas" are hours of the clock when a zone follows them.
        ("Woensdag om 14:00 uur Engelse tijd.", "Europe/London"),
        ("Pode ser às 10 horas de Brasília?", "America/Sao_Paulo"),
        # No zone: the operator's applies. French "est" and "et" are words, not zones; a zone
        # far from any time names none.
        ("Il est 10h et je suis libre.", None),
        ("We ship 12 pallets a day to Eastern Europe. Monday?", None),
        ("Monday 9th at 14:30 works for me.", None),
    ],
)
def test_the_zone_a_lead_names_for_their_times(text: str, zone: str | None) -> None:
    assert stated_time_zone(text) == zone
