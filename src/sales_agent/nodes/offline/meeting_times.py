"""The days and hours a lead offers for a call, in the seven languages the reader reads.

"Thursday afternoon works", "any day next week except Monday", "between 2 and 4pm",
"Friday late morning, say 11?", "dalle 10 alle 12": the weekdays they offer and the
earliest and latest local times they named, which the slot finder keeps to. Hours without
"am" or "pm" are business hours: "after 4" is 16:00, "8:30" is the morning.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from itertools import chain

from sales_agent.nodes.offline.intent_rules import SENTENCE_END, normalise
from sales_agent.nodes.offline.language import detect_language
from sales_agent.nodes.offline.when import ENGLISH_DAYS, TIME_UNITS, WEEKDAY, WEEKDAY_NAMES

__all__ = ["RULED_OUT", "meeting_preferences", "stated_time_zone"]

# A clock time: "4", "16:30", "9.15", "14h", "3pm", "10 Uhr", "11u"; not a count of time or
# things ("after 2 months", "before 3 weeks", "from 5 sites").
_NOT_AN_HOUR = (
    r"(?! ?(?:"
    + "|".join(sorted(TIME_UNITS | {"site", "sites", "people"}, key=len, reverse=True))
    + r"|%)(?![a-z]))"
)
# A word for o'clock after it ("10 Uhr", "16 uur", "10 heures", "15 horas") makes it a time,
# though the same word after a number is elsewhere a count of hours.
_HOUR = (
    r"(\d{1,2})(?:[:.h](\d{2}))? ?(am|pm|uhr|uur|heures?|horas|h|u|ish)?(?![a-z])" + _NOT_AN_HOUR
)
# A Dutch or German day's name may lead the part of the day: "dinsdagochtend", "Montagvormittag".
_DAY_FIRST = r"(?:[a-z]+(?:dag|tag))?"
_MORNING = re.compile(
    rf"(?<![a-z])(?:mornings?|{_DAY_FIRST}(?:vormittags?|ochtend|voormiddag)|morgens|"
    r"[a-z]+(?:dag|tag)morgen|matin(?:ee)?s?|manana|mattin[ao]|manha|before (?:noon|lunch))"
    r"(?![a-z])"
)
_AFTERNOON = re.compile(
    rf"(?<![a-z])(?:afternoons?|{_DAY_FIRST}(?:nachmittags?|(?:na)?middag)|apres-midi|tarde|"
    r"pomeriggio|after lunch)(?![a-z])"
)
# Part of a morning or an afternoon: (earliest, latest).
_PARTS_OF_DAY = (
    (
        re.compile(
            r"(?<![a-z])(?:late morning|spatvormittags?|spaten vormittag|fin de matinee|"
            r"tarda mattinata|eind van de ochtend|final da manha|media manana)(?![a-z])"
        ),
        (time(10, 0), time(12, 0)),
    ),
    (
        re.compile(
            r"(?<![a-z])(?:early afternoon|fruhen nachmittag|debut d'apres-midi|"
            r"primera hora de la tarde|primo pomeriggio|begin van de middag|inicio da tarde)"
            r"(?![a-z])"
        ),
        (time(12, 0), time(15, 0)),
    ),
    (
        re.compile(
            r"(?<![a-z])(?:late afternoon|spatnachmittags?|spaten nachmittag|fin d'apres-midi|"
            r"ultima hora de la tarde|tardo pomeriggio|eind van de middag|fim da tarde|"
            r"final da tarde)(?![a-z])"
        ),
        (time(15, 0), None),
    ),
    (
        re.compile(
            r"(?<![a-z])(?:early morning|fruh morgens|am fruhen morgen|tot matin|"
            r"primera hora de la manana|primo mattino|vroeg in de ochtend|logo cedo)(?![a-z])"
        ),
        (None, time(10, 0)),
    ),
)
_AFTER_HOUR = re.compile(
    r"(?:after|from|ab|apres|a partir de|despues de|desde las|dopo le|dalle|na|vanaf|depois das"
    rf"|a partir das) {_HOUR}"
)
_BEFORE_HOUR = re.compile(
    rf"(?:before|until|bis|vor|avant|antes de las|prima delle|voor|antes das) {_HOUR}"
)
_BEFORE_THEN = re.compile(
    r"(?<![a-z])(?:before (?:then|that)|davor|avant ca|antes de eso|prima di allora|daarvoor|"
    r"antes disso)(?![a-z])"
)
_AFTER_THAT = re.compile(
    r"(?<![a-z])(?:after (?:then|that)|danach|apres ca|despues de eso|dopo di che|daarna|"
    r"depois disso)(?![a-z])"
)
# "between 2 and 4pm", "zwischen 14 und 16 Uhr", "entre 10h et 12h", "dalle 10 alle 12",
# "from 2 to 4", "van 10 tot 12", "das 10 às 12".
_RANGE = re.compile(
    r"(?:between|zwischen|entre(?: las| les| as)?|tra le|fra le|tussen|from|von|de|desde las"
    rf"|dalle|van|das) {_HOUR} (?:and|und|et|y|e|en|to|bis|a|à|alle|tot|as|às|-) "
    r"(?:(?:las|les|as|le) )?" + _HOUR
)
# Ranges with no word before them: "12 till 2", and clock times "12:30-13:30" (not a "6-2"
# shift).
_TILL_RANGE = re.compile(rf"(?<![\d:.]){_HOUR} (?:till|til|until) {_HOUR}")
_CLOCK_RANGE = re.compile(r"(?<![\d:.])(\d{1,2}):(\d{2}) ?[-–] ?(\d{1,2}):(\d{2})(?![\d:])")
# A time they propose: "say 11?", "around 3", "3ish", "um 10 Uhr", "vers 14h", "a las 16:00",
# "alle 11", "om 10 uur", "às 15h", "at 2pm".
_POINT = re.compile(
    r"(?:say|around|about|at|circa|gegen|um|vers|a las|sobre las|alle|verso le|om|rond|as|às|"
    # French "à 10h" (accents folded: "a"), not "a 10-minute call".
    r"a(?= \d{1,2}(?:[:.h]| h| heures?)))"
    rf" {_HOUR}|(\d{{1,2}})(ish)(?![a-z])"
)
# An hour written as one (with am or pm) needs no "at" before it.
_HOUR_WITH_SUFFIX = re.compile(r"(?<![\d:.])(\d{1,2})(?:[:.](\d{2}))? ?(am|pm)(?![a-z])")
_CLOCK_ALONE = re.compile(r"(?<![\d:.])(\d{1,2}):(\d{2})(?![\d:])")  # "Monday, 8:30?"
_POINT_WINDOW = timedelta(hours=1)  # a proposed hour: slots from it to an hour after
# A weekday in a sentence that rules it out ("Mondays are the worst", "Friday is out") is
# not a day the lead offers.
_NEGATIONS = (
    r"worst|busy|out|not|never|can'?t|cannot|won'?t|nicht|kein|pas|jamais|non|mai|niet|geen|nao|"
    r"nunca|impossible|unavailable|off|tied up|remove|cancel|streichen|quita|schrap|togli"
)
RULED_OUT = re.compile(rf"(?<![a-z])(?:{_NEGATIONS}|no)(?![a-z])")
"""A word that rules something out: a negation, "busy", "out", "off"."""
# In Portuguese "no" is "in the" ("quarta, no horario de Brasilia"); its no is "nao".
_RULED_OUT_PT = re.compile(rf"(?<![a-z])(?:{_NEGATIONS})(?![a-z])")
# "any day except Monday": every working day but the ones named after it.
_EXCEPT = re.compile(
    r"(?<![a-z])(?:except|apart from|other than|besides|but not|bar|(?:any|every) (?:day|morning|"
    r"afternoon)(?: next week| this week)? but|ausser|auer|sauf|excepto|salvo|"
    r"menos|tranne|eccetto|behalve|exceto)(?: (?:on|for|a|le|el|o|il|de))? "
    r"(?P<days>(?:" + "|".join(WEEKDAY_NAMES) + r")(?:s|-feira)?"
    r"(?:(?:,| and| or| und| et| y| e| en| of| ou) (?:" + "|".join(WEEKDAY_NAMES) + r")"
    r"(?:s|-feira)?)*)"
)
# "any day", "any morning next week": every working day, less those ruled out elsewhere.
_ANY_DAY = re.compile(
    r"(?<![a-z])(?:any (?:other )?(?:day|morning|afternoon)|whichever day|jede[nr]? (?:tag|morgen)|"
    r"n'importe quel jour|cualquier dia|qualsiasi giorno|elke dag|qualquer dia)(?![a-z])"
)
# "Call me tomorrow after 3": a day named relative to the day it was read, in each language.
# Not "apres-demain" or "ubermorgen" (the day after), nor a morning: Spanish "por la manana",
# German "am Morgen".
_RELATIVE_DAYS = (
    (
        re.compile(
            r"(?<![a-z-])(?:tomorrow|tomorow|tmrw|demain|domani|amanha|"
            r"(?<!la )(?<!esta )(?<!pasado )manana|"
            r"(?<!am )(?<!guten )(?<!den )(?<!jeden )morgen)(?![a-z])"
        ),
        1,
    ),
    (re.compile(r"(?<![a-z])(?:today|heute|aujourd'hui|hoy|oggi|vandaag|hoje)(?![a-z])"), 0),
)
# The clauses of a sentence, at "but" or a comma ("not Monday, but Tuesday works"; "Tuesday
# 8 to 9, later I'm not reachable"); bodies are normalised (one line), so their sentences
# end where `SENTENCE_END` says.
_CLAUSE = re.compile(r",?\s(?:but|aber|mais|pero|ma|maar|mas)\s|[,;]\s")
# Words of a part of the day the lead prefers ("afternoons are better", "mornings suit").
_PREFERRED = re.compile(
    r"(?<![a-z])(?:suits?|works?|best|better|prefer|ideal|ideally|passt|besser|lieber|convient|"
    r"mieux|prefere|va bien|mejor|prefiero|me va|meglio|preferisco|va bene|beter|liever|past|"
    r"schikt|melhor|prefiro|serve)(?![a-z])"
)


# British "half two" is 2:30; "wed pm" and "Tuesday am" are parts of a day.
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        (
            "one", "two", "three", "four", "five", "six",
            "seven", "eight", "nine", "ten", "eleven", "twelve",
        ),
        start=1,
    )
}  # fmt: skip
_HALF_HOUR = re.compile(r"(?<![a-z])half (?:past )?(" + "|".join(_NUMBER_WORDS) + r")(?![a-z])")
_DAY_PM = re.compile(WEEKDAY.pattern + r" (am|pm)(?![a-z])")


# "Monday to Wednesday", "du lundi au mercredi", "von Montag bis Mittwoch": every day between.
_DAY_SPAN = re.compile(
    WEEKDAY.pattern
    + r" (?:to|through|thru|till|until|-|–|bis|au|a|à|al|fino a|tot(?: en met)?|t/m|ate) "
    + WEEKDAY.pattern
)


def _every_day_of(span: re.Match[str]) -> str:
    first, last = WEEKDAY_NAMES[span.group(1)], WEEKDAY_NAMES[span.group(2)]
    return " and ".join(ENGLISH_DAYS[first : last + 1]).lower() if first < last else span.group(0)


def _in_figures(body: str) -> str:
    """`body` with spoken times written as the parsers read them ("half two" -> "2:30")."""
    body = _DAY_SPAN.sub(_every_day_of, body)
    body = _HALF_HOUR.sub(lambda m: f"{_NUMBER_WORDS[m.group(1)]}:30", body)
    return _DAY_PM.sub(
        lambda m: f"{m.group(1)} {'morning' if m.group(2) == 'am' else 'afternoon'}", body
    )


def _days(names: str) -> set[str]:
    return {ENGLISH_DAYS[WEEKDAY_NAMES[m.group(1)]] for m in WEEKDAY.finditer(names)}


# "On leave till Friday", "en vacances jusqu'à vendredi", "ab Mittwoch zurück": the day they
# are away until, or back on, is when they can be reached, not the day they offer.
_AWAY_UNTIL = re.compile(
    r"(?<![a-z])(?:until|till|til|back(?: on)?|bis|ab|jusqu'(?:a|au)|hasta(?: el)?|fino a|"
    r"tot|ate|ate a)(?: (?:this|next|coming|le|el|il|a|o))? $"
)


def _offered_days(body: str, language: str) -> tuple[str, ...]:
    """The weekdays the lead offers, in order; a day they rule out anywhere is not offered."""
    ruled_out = _RULED_OUT_PT if language == "pt" else RULED_OUT
    found: dict[str, None] = {}
    excluded: set[str] = set()
    for sentence in SENTENCE_END.split(body):
        if excepted := _EXCEPT.search(sentence):
            excluded |= _days(excepted.group("days"))
            found.update(dict.fromkeys(ENGLISH_DAYS))
            continue
        for clause in _CLAUSE.split(sentence):
            named = [
                ENGLISH_DAYS[WEEKDAY_NAMES[m.group(1)]]
                for m in WEEKDAY.finditer(clause)
                if not _AWAY_UNTIL.search(clause, 0, m.start())
            ]
            if ruled_out.search(clause):
                excluded.update(named)  # "Mondays are out for me, any other day is fine"
            elif named:
                found.update(dict.fromkeys(named))
            if _ANY_DAY.search(clause) and (not named or ruled_out.search(clause)):
                found.update(dict.fromkeys(ENGLISH_DAYS))
    return tuple(day for day in found if day not in excluded)


def _clock(hour: str, minute: str | None, suffix: str | None) -> time | None:
    """A local time in business hours; an hour of 1 to 6 without "am" is the afternoon."""
    value = int(hour)
    if (suffix == "pm" and value < 12) or (suffix != "am" and 1 <= value <= 6):
        value += 12
    if not 6 <= value <= 20 or int(minute or 0) > 59:
        return None
    return time(value, int(minute or 0))


# Before a range, words that make it the time they cannot do ("except between 12 and 2").
_NOT_THEN = re.compile(
    r"(?:except|apart from|other than|but not|not|ausser|auer|nicht|sauf|pas|excepto|salvo|"
    r"menos|no|tranne|eccetto|non|behalve|niet|exceto|nao)(?: \w+){0,2} $"
)


def _range(body: str) -> tuple[time | None, time | None]:
    """A range they named ("between 2 and 4pm"); its start takes the end's pm."""
    found = (pattern.search(body) for pattern in (_RANGE, _TILL_RANGE, _CLOCK_RANGE))
    match = min(filter(None, found), key=lambda m: m.start(), default=None)
    if match is None or _NOT_THEN.search(body, 0, match.start()):
        return None, None
    if match.re is _CLOCK_RANGE:
        first_hour, first_minute, last_hour, last_minute = match.groups()
        return _clock(first_hour, first_minute, None), _clock(last_hour, last_minute, None)
    first_hour, first_minute, first_suffix, *end = match.groups()
    last = _clock(*end)
    first_suffix = first_suffix or (end[2] if end[2] in ("am", "pm") else None)
    return _clock(first_hour, first_minute, first_suffix), last


# After a bare hour ("say 11"): the end, punctuation, or a word for o'clock; "at 3 sites"
# is a count, not a time.
_HOUR_ENDS = re.compile(r"\s*(?:$|[?.,!;)]|o'?clock|uhr|uur|heures?|horas?|ore|ish)")


def _proposed_hour(body: str) -> time | None:
    for match in _POINT.finditer(body):
        hour, minute, suffix, bare_hour, ish = match.groups()
        if not (minute or suffix or ish or _HOUR_ENDS.match(body, match.end())):
            continue
        if proposed := _clock(hour or bare_hour, minute, suffix if suffix != "ish" else None):
            return proposed
    for suffixed in _HOUR_WITH_SUFFIX.finditer(body):
        # "tues 3pm?" proposes it; "we ship by 6pm daily" does not: the sentence asks, or
        # names a day.
        sentence = _sentence_around(body, suffixed.start())
        asked = "?" in sentence or WEEKDAY.search(sentence)
        if asked and (proposed := _clock(*suffixed.groups())):
            return proposed
    if alone := _CLOCK_ALONE.search(body):
        return _clock(alone.group(1), alone.group(2), None)
    return None


def _sentence_around(body: str, at: int) -> str:
    start = max((m.end() for m in SENTENCE_END.finditer(body, 0, at)), default=0)
    end = next((m.start() for m in SENTENCE_END.finditer(body, at)), len(body))
    return body[start:end]


def _point(body: str) -> tuple[time | None, time | None]:
    """An hour they proposed ("say 11?", "Tue 3pm"): from it to an hour after, never earlier.

    Someone who proposes 3pm may take 3:30, but was not offering 2pm.
    """
    if (proposed := _proposed_hour(body)) is None:
        return None, None
    end = (datetime.combine(date(2000, 1, 3), proposed) + _POINT_WINDOW).time()
    return proposed, min(end, time(19, 0))


def _bounds(body: str) -> tuple[time | None, time | None]:
    """The "after" and "before" hours they named; "not before 9:30" is an "after"."""
    after, before = _AFTER_HOUR.search(body), _BEFORE_HOUR.search(body)
    # "On the floor from 11, so anytime before then is best": the hour named is the reason,
    # and "then", said to suit, points back at it ("...before then is not possible" does not).
    if after and not before and _suits(_BEFORE_THEN, body, after.end()):
        return None, _clock(*after.groups())
    if before and not after and _suits(_AFTER_THAT, body, before.end()):
        return _clock(*before.groups()), None
    # "not before 9:30", "nicht vor 10", "no calls before 11": the bound turns round.
    if before and _NOT_THEN.search(body, 0, before.start()) and not after:
        return _clock(*before.groups()), None
    if after and _NOT_THEN.search(body, 0, after.start()) and not before:
        return None, _clock(*after.groups())
    earliest = _clock(*after.groups()) if after else None
    latest = _clock(*before.groups()) if before else None
    if after and before and earliest and latest and earliest >= latest:
        # "before 11, we have meetings from 11": no time fits both. The one said to suit is
        # their offer ("on the floor until 3, so anything after 4 is best"), the other their
        # reason; with neither said to suit, the first one named.
        first, second = sorted((after, before), key=lambda bound: bound.start())
        liked_first = _liked(body, first.start(), second.start())
        liked_second = _liked(body, second.start(), len(body))
        if liked_first != liked_second:
            offer = first if liked_first else second
            return (earliest, None) if offer is after else (None, latest)
        return (None, latest) if first is before else (earliest, None)
    return earliest, latest


def _suits(then: re.Pattern[str], body: str, at: int) -> bool:
    """True when `then` follows `at` in its sentence, in words that say it suits."""
    sentence_end = next((m.start() for m in SENTENCE_END.finditer(body, at)), len(body))
    pointer = then.search(body, at, sentence_end)
    if pointer is None:
        return False
    words = body[pointer.start() : sentence_end]
    return _PREFERRED.search(words) is not None and RULED_OUT.search(words) is None


def _liked(body: str, start: int, stop: int) -> bool:
    """True when the words from `start` up to `stop` (or their sentence's end) say it suits."""
    words = SENTENCE_END.split(body[start:stop], maxsplit=1)[0]
    return _PREFERRED.search(words) is not None


def _part_of_day(body: str) -> tuple[time | None, time | None]:
    """Morning or afternoon; a named part of either; when both are named, the preferred one."""
    for pattern, window in _PARTS_OF_DAY:
        if pattern.search(body):
            return window
    morning, afternoon = _MORNING.search(body), _AFTERNOON.search(body)
    if morning and afternoon:
        clauses = re.split(r"[,.;!?\n]| but | aber | mais | pero | ma | maar ", body)
        liked = [c for c in clauses if _PREFERRED.search(c)]
        morning = morning if any(_MORNING.search(c) for c in liked) else None
        afternoon = afternoon if any(_AFTERNOON.search(c) for c in liked) else None
        if bool(morning) == bool(afternoon):
            return None, None
    if afternoon:
        return time(13, 0), None
    if morning:
        return None, time(12, 0)
    return None, None


def _relative_day(body: str, today: date) -> tuple[str, ...]:
    """The working day "tomorrow" or "today" names, read on `today`; none at a weekend."""
    for pattern, offset in _RELATIVE_DAYS:
        if pattern.search(body):
            day = today + timedelta(days=offset)
            return (ENGLISH_DAYS[day.weekday()],) if day.weekday() < len(ENGLISH_DAYS) else ()
    return ()


def meeting_preferences(
    text: str, today: date | None = None
) -> tuple[tuple[str, ...], time | None, time | None]:
    """The weekdays a lead asked for, and the earliest and latest local times they named.

    Named days first; with none, "tomorrow" or "today" as read on `today`. A range they named
    wins; else "after" and "before" hours; else an hour they proposed; else the part of the day.
    """
    body = _in_figures(normalise(text))
    days = _offered_days(body, detect_language(text))
    if not days and today is not None:
        days = _relative_day(body, today)
    earliest, latest = _range(body)
    if earliest is None and latest is None:
        earliest, latest = _bounds(body)
    if earliest is None and latest is None:
        earliest, latest = _point(body)
    if earliest is None and latest is None:
        return days, *_part_of_day(body)
    # One bound named ("after 4", "before 11"): the part of the day may give the other.
    part_earliest, part_latest = _part_of_day(body)
    if earliest is None and latest is not None and part_earliest and part_earliest < latest:
        earliest = part_earliest
    if latest is None and earliest is not None and part_latest and part_latest > earliest:
        latest = part_latest
    return days, earliest, latest


# A time zone a lead names for their times ("10am Eastern", "14h (horário de Brasília)",
# "11 Uhr Ihrer Zeit (London)"), as the zone it means. Written as words, in any case.
_ZONE_WORDS = (
    (
        r"uk time|london time|british time|gmt|bst|(?:hora|horario|heure|ora) (?:de |di )?"
        r"(?:londres|londra|inglesa|anglaise|inglese|britanica|britannique)|"
        r"(?:ihrer |englischer |londoner |britischer )?zeit \(?london\)?|londoner zeit|"
        r"englische zeit|engelse tijd|britse tijd|your time \(?london\)?|uk-zeit",
        "Europe/London",
    ),
    (
        r"cet|cest|mez|mesz|central european(?: time)?|heure (?:de paris|francaise|de bruxelles)|"
        r"hora (?:peninsular|de madrid|espanola)|ora italiana|ora di roma|deutscher zeit|"
        r"deutsche zeit|nederlandse tijd|belgische tijd|(?:schweizer|zurcher) zeit",
        "Europe/Paris",
    ),
    (r"hora de lisboa|lisbon time|hora portuguesa", "Europe/Lisbon"),
    (
        r"eastern(?: time)?(?! europe| asia| africa| region)|est|edt|new york time",
        "America/New_York",
    ),
    (r"central time|cst|cdt|chicago time", "America/Chicago"),
    (r"mountain time|mst|mdt", "America/Denver"),
    (r"pacific(?: time)?|pst|pdt", "America/Los_Angeles"),
    (r"heure de (?:montreal|l'est)|heure du quebec|toronto time", "America/Toronto"),
    (r"ist|india time|indian time", "Asia/Kolkata"),
    (r"(?:(?:hora|horario) (?:de )?)?brasilia|brt", "America/Sao_Paulo"),
    (r"aest|aedt|sydney time", "Australia/Sydney"),
    (r"sgt|singapore time", "Asia/Singapore"),
    (r"gst|dubai time|uae time", "Asia/Dubai"),
    (r"sast|south african time|johannesburg time", "Africa/Johannesburg"),
)
# Short forms that are words in the seven languages (French "est", "et") count only in
# capitals: "2pm ET", "10h PT".
_ZONE_CAPITALS = (
    ("ET", "America/New_York"),
    ("PT", "America/Los_Angeles"),
    ("CT", "America/Chicago"),
)
# A time a zone may follow. Not `_HOUR`: that reads "10 uur" and "10 horas" as spans of hours
# (the words mean both); a zone named after them makes them clock times.
_CLOCK = (
    r"(?<![\d.,])\d{1,2}(?:[:.h]\d{2})?\s?(?:am|pm|uhr|h|u|uur|horas?)?(?![\d:])" + _NOT_AN_HOUR
)
# The zone follows the time, at most two words on: "10am Eastern", "11 Uhr Ihrer Zeit (London)".
_NEAR = r"\W{0,3}(?:[A-Za-z']+\W{1,3}){0,2}?"
_ZONES = tuple(
    (re.compile(rf"{_CLOCK}{_NEAR}(?<![a-z])(?:{words})(?![a-z])"), zone)
    for words, zone in _ZONE_WORDS
)
_ZONES_IN_CAPITALS = tuple(
    (
        re.compile(rf"(?i:{_CLOCK}){_NEAR}(?<![A-Za-z]){short}(?![A-Za-z])"),
        zone,
    )
    for short, zone in _ZONE_CAPITALS
)


def stated_time_zone(text: str) -> str | None:
    """The time zone a lead names for the times they offer, if they name one."""
    body = normalise(text)
    in_words = (zone for pattern, zone in _ZONES if pattern.search(body))
    in_capitals = (zone for pattern, zone in _ZONES_IN_CAPITALS if pattern.search(text))
    return next(chain(in_words, in_capitals), None)
