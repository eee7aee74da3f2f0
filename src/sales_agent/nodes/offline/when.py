"""When a lead says something happens: back from leave, 'ask me in Q2', 'Thursday afternoon'.

Dates are parsed by `dateparser` (a maintained library that knows the seven languages'
month and day names), relative to the run's clock; this module only finds the phrases worth
parsing near the words that announce them, so free text elsewhere is never read as a date.
Weekday names are shared with `meeting_times`, which reads the days and hours a lead offers.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import dateparser

from sales_agent.nodes.offline.intent_rules import normalise
from sales_agent.nodes.offline.recontact import MONTH_NAMES, recontact_dates

__all__ = [
    "CALENDAR_WORDS",
    "ENGLISH_DAYS",
    "LANGUAGES",
    "TIME_UNITS",
    "WEEKDAY",
    "WEEKDAY_NAMES",
    "available_from",
]

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")

# Month names keep their accents ("März", "março"): dateparser reads them as written.
# Tried in this order, each over the whole text: a day and a month name ("12. März",
# "9 mars"), numbers ("10.03."), then a month name and a day ("March 16").
_DATES = (
    re.compile(
        r"\b\d{1,2}(?:st|nd|rd|th|er|e|º|o|\.)?(?: de| di| of)? [^\W\d_]{3,10}\.?"
        r"(?: (?:de )?\d{4})?"
    ),
    re.compile(r"\b\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\.?"),
    re.compile(r"\b[^\W\d_]{3,10} \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?"),
)
WEEKDAY_NAMES = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4,
    "lunedi": 0, "martedi": 1, "mercoledi": 2, "giovedi": 3, "venerdi": 4,
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4,
    "segunda": 0, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4,
}  # fmt: skip
CALENDAR_WORDS = (
    frozenset(WEEKDAY_NAMES) | MONTH_NAMES | {"saturday", "sunday", "samstag", "sonntag"}
)
"""Weekday and month names, normalised: words that date a message rather than describe it."""
TIME_UNITS = frozenset(
    """
    hour hours hr hrs minute minutes min mins day days week weeks month months year years
    stunde stunden minuten tag tage tagen woche wochen monat monate monaten jahr jahre jahren
    heure heures jour jours semaine semaines mois an ans annee annees
    hora horas minuto minutos dia dias semana semanas mes meses ano anos
    ora ore minuti giorno giorni settimana settimane mese mesi anno anni
    uur uren minuut dag dagen weken maand maanden jaar jaren
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
"""Units of time in the seven languages, normalised: after a number, a span, not a count."""
ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# A day's name, plural, Portuguese "-feira", or the first half of a Dutch or German compound
# with the part of the day ("dinsdagmiddag", "Donnerstagnachmittag").
WEEKDAY = re.compile(
    r"(?<![a-z])(" + "|".join(WEEKDAY_NAMES) + r")(?:s|-feira|(?:na|voor)?middag|ochtend|avond|"
    r"morgen|nachmittag|vormittag|mittag|abend)?(?![a-z])"
)


def _parse(phrase: str, now: datetime, language: str) -> date | None:
    # The detected language first, then the others: a short auto-reply can be misdetected
    # ("fino a venerdì 6 marzo" read as Portuguese), and its month names still count.
    languages = [language, *(other for other in LANGUAGES if other != language)]
    parsed = dateparser.parse(
        phrase,
        languages=languages,
        settings={
            "RELATIVE_BASE": now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "MDY" if language == "en" and "/" in phrase else "DMY",
            "REQUIRE_PARTS": ["day", "month"],
        },
    )
    return parsed.date() if parsed else None


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


# A stated date that closes the absence: "until Friday 13 March inclusive", "bis
# einschließlich 20.03.", "tot en met 6 maart", "up to and including": the writer is back the
# day after. A bare "until X" is read as back on X.
_INCLUSIVE_FOLLOWS = re.compile(
    r"^[\s,.)(]{0,3}(?:inclusive|inclusief|inclus[ea]?s?|incluid[oa]s?|included|inklusive|"
    r"einschliesslich|compres[oa]|inclusa|incluso|ambos inclusive|ambas inclusive)(?![a-z])"
)
_INCLUSIVE_PRECEDES = re.compile(
    r"(?:up to and including|through|thru|einschliesslich|inklusive|tot en met|t/m)"
    r"[\s\w.,]{0,14}$"
)
# "after 1 June", "nach dem 15.": the day named is still taken; the next one is welcome.
_AFTER_PRECEDES = re.compile(
    r"(?<![a-z])(?:after|nach|apres|despues del?|tras|dopo|na|depois d[eoa])"
    r"(?: (?:the|dem|le|el|il|o|de|den|lo|la|al))?$"
)
_HORIZON = timedelta(days=400)
_NEAR = timedelta(days=300)


def _stated_dates(text: str, now: datetime, language: str) -> list[date]:
    """Every future day a date phrase names, moved to the day after when it ends an absence."""
    flat = " ".join(text.casefold().split())
    found: list[date] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATES:
        for match in pattern.finditer(flat):
            start, end = match.span()
            if any(start < stop and end > begin for begin, stop in taken):
                continue  # a later pattern re-reading part of a phrase already read
            day = _parse(match.group(0), now, language)
            if day is None or not now.date() < day < now.date() + _HORIZON:
                continue
            taken.append((start, end))
            before, after = normalise(flat[max(0, start - 30) : start]), normalise(flat[end:][:24])
            closes = _INCLUSIVE_FOLLOWS.search(after) or _INCLUSIVE_PRECEDES.search(before)
            ends = closes or _AFTER_PRECEDES.search(before)
            found.append(day + timedelta(days=1) if ends else day)
    return found


# "el lunes 16", "Monday the 16th": a weekday and a day of the month, with no month named.
_WEEKDAY_AND_DAY = re.compile(
    r"(?<![a-z])(" + "|".join(WEEKDAY_NAMES) + r")(?:s|-feira)?,? (?:the )?(\d{1,2})"
    r"(?:st|nd|rd|th|er|o)?(?!\d|[./-]\d)"
)


def _weekday_and_day(text: str, today: date) -> list[date]:
    """The next days, within two months, that fall on the weekday and day of month named."""
    found = []
    for match in _WEEKDAY_AND_DAY.finditer(normalise(text)):
        weekday, day = WEEKDAY_NAMES[match.group(1)], int(match.group(2))
        found += [
            candidate
            for offset in range(1, 62)
            if (candidate := today + timedelta(days=offset)).day == day
            and candidate.weekday() == weekday
        ][:1]
    return found


def available_from(text: str, now: datetime, language: str) -> date | None:
    """The first day the writer can be reached again: back from leave, or 'ask me in May'.

    Every date and recontact expression counts ("away from 27 March, back on 7 April";
    "busy until the fair at the end of March, try me in April"), and the latest wins: the
    earlier ones name what keeps the writer away. A weekday alone ("back on Monday") is the
    next one.
    """
    today = now.date()
    found = (
        _stated_dates(text, now, language)
        + _weekday_and_day(text, today)
        + [day for day in recontact_dates(normalise(text), today) if day < today + _HORIZON]
    )
    # A month already past this year resolves to next year's ("in January" said in March);
    # as background ("we signed in January") it must not outrank the near dates.
    near = [day for day in found if day < today + _NEAR]
    if near:
        return max(near)
    if found:
        return min(found)
    if weekday := WEEKDAY.search(normalise(text)):
        return _next_weekday(today, WEEKDAY_NAMES[weekday.group(1)])
    return None
