"""When a 'not now' asks to hear from us again: a quarter, a month, a season, a holiday.

`dateparser` reads dates ("16 March", "10.03."), but not what a lead means by "after the
summer", "im zweiten Quartal", "début mai" or "after Easter". These are a small closed set
of expressions per language, each resolved to the first day the lead would welcome a new
message, relative to the run's clock and always in the future. Texts arrive normalised
(`intent_rules.normalise`: lowercase, accents folded).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.easter import easter

__all__ = ["MONTH_NAMES", "recontact_dates"]


def _words(alternatives: str) -> str:
    return f"(?:{alternatives})"


_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january januar janvier enero gennaio januari janeiro",
        "february februar fevrier febrero febbraio februari fevereiro",
        "march marz mars marzo maart marco",
        "april avril abril aprile",
        "may mai mayo maggio mei maio",
        "june juni juin junio giugno junho",
        "july juli juillet julio luglio julho",
        "august aout agosto augustus",
        "september septembre septiembre setiembre settembre setembro",
        "october oktober octobre octubre ottobre outubro",
        "november novembre noviembre novembro",
        "december dezember decembre diciembre dicembre dezembro",
    ),
    start=1,
):
    _MONTHS.update(dict.fromkeys(_names.split(), _number))
MONTH_NAMES = frozenset(_MONTHS)
"""Every month name of the seven languages, normalised ("marz", "fevrier")."""
# A month name only counts after a word that makes it a time: "in May", "Anfang Mai", "fin
# mars", "a settembre" (never "we may", "non ho mai").
_EARLY = _words(
    r"early|beginning of|start of|anfang|debut|au debut de|a principios de|"
    r"principios de|inicios de|inizio|all'inizio di|ai primi di|begin|eind?e? van|"
    r"inicio de|no inicio de|comeco de"
)
_MID = _words(
    r"mid-?|middle of|mitte|mi-|a mediados de|mediados de|meta|a meta|half|medio|"
    r"meados de"
)
_LATE = _words(
    r"late|end of|the end of|ende|fin|a la fin de|fin de|a finales de|finales de|"
    r"fine|alla fine di|eind|eind van|final de|no final de|fim de"
)
_AFTER = _words(
    r"after|once|nach|apres|despues de|tras|dopo|na|depois d[eoa]|passado|"
    r"a partir de"
)
_IN = _words(
    r"in|by|until|around|im|ab|bis|en|dans|a partir de|para|hasta|a|ad|in|verso|rond|"
    r"tegen|vanaf|em|ate|por|de|from"
)
_MONTH = re.compile(
    rf"(?<![a-z])(?:(?P<early>{_EARLY})|(?P<mid>{_MID})|(?P<late>{_LATE})|(?P<after>{_AFTER})"
    rf"|{_IN}) ?(?:(?:le|la|il|el|o|het|de|der|dem|mois d'|mois de|mese di|mes de|maand) )?"
    rf"(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})\.?(?![a-z])"
)

_ORDINALS = {
    1: _words(r"first|1st|1\.|erste[nms]?|premier|primer|primo|eerste|primeiro"),
    2: _words(r"second|2nd|2\.|zweite[nms]?|deuxieme|second|segundo|secondo|tweede"),
    3: _words(r"third|3rd|3\.|dritte[nms]?|troisieme|tercer|terzo|derde|terceiro"),
    4: _words(r"fourth|4th|4\.|vierte[nms]?|quatrieme|cuarto|quarto|vierde"),
}
_QUARTER_WORD = _words(r"quarter|quartal|trimestre|kwartaal")
_QUARTER = re.compile(
    r"(?<![a-z0-9])(?:(?P<after>after|end of|nach|apres|despues del?|dopo|na|depois do|fim do)"
    r" (?:the )?)?(?:q(?P<q>[1-4])|(?P<ordinal>"
    + "|".join(f"(?P<o{n}>{word})" for n, word in _ORDINALS.items())
    + rf") {_QUARTER_WORD}|{_QUARTER_WORD} (?P<trailing>[1-4]))(?: (?P<year>20\d\d))?(?![a-z0-9])"
)
_NEXT = _words(
    r"next|the next|nachste[nms]?|kommende[nms]?|prochain|le prochain|proximo|"
    r"el proximo|o proximo|prossimo|il prossimo|volgende?|het volgende"
)
_NEXT_QUARTER = re.compile(
    rf"(?<![a-z]){_NEXT} {_QUARTER_WORD}(?![a-z])|{_QUARTER_WORD} (?:prochain|prossimo)"
)
_NEXT_MONTH = re.compile(
    rf"(?<![a-z]){_NEXT} (?:month|monat|mois|mes|mese|maand)(?![a-z])"
    r"|(?:le mois prochain|il mese prossimo|el mes que viene)"
)
_NEXT_WEEK = re.compile(
    rf"(?<![a-z]){_NEXT} (?:week|woche|semaine|semana|settimana|week)(?![a-z])"
    r"|la semaine prochaine|la settimana prossima|la semana que viene|volgende week"
)
_NEXT_YEAR = re.compile(
    rf"(?<![a-z])(?:{_NEXT} (?:year|jahr|annee|ano|anno|jaar)|new year|neue[nm]? jahr|"
    r"nouvel an|l'annee prochaine|ano nuevo|ano que vem|anno nuovo|l'anno prossimo|"
    r"nieuwe jaar|ano novo|volgend jaar)(?![a-z])"
)
_HALF = re.compile(
    r"(?<![a-z0-9])(?:h2|second half|zweite[nm]? (?:halbjahr|jahreshalfte)|second semestre|"
    r"segundo semestre|secondo semestre|tweede helft|segunda metade)(?![a-z0-9])"
)
_SUMMER = _words(
    r"summer|sommer|l'ete|d'ete|cet ete|verano|l'estate|d'estate|quest'estate|zomer|"
    r"verao|summer holidays?|summer break|sommerferien|vacances d'ete|vacances|"
    r"ferragosto|zomervakantie"
)
_AUTUMN = _words(
    r"autumn|the fall|this fall|herbst|l'automne|automne|otono|autunno|najaar|herfst|"
    r"outono"
)
_SPRING = _words(r"spring|fruhjahr|fruhling|printemps|primavera|voorjaar|lente")
_WINTER = _words(r"winter|l'hiver|hiver|invierno|inverno")
_CHRISTMAS = _words(
    r"christmas|xmas|the holidays|festive season|weihnachten|noel|navidad|natale|"
    r"kerst|kerstmis|natal|feiertage?n?|fetes|fiestas|feste|feestdagen|festas"
)
_EASTER = _words(r"easter|ostern|paques|semana santa|pascua|pasqua|pasen|pascoa")
_SEASON = re.compile(
    rf"(?<![a-z])(?P<after>{_AFTER}|end of|ende|fin de|fine|eind|fim d[oa]|"
    rf"at the end of|a la fin de|alla fine del?)?(?: the| der| den| dem| l'| la| le| el| il|"
    rf"l| het| de| o| a)? ?(?:(?P<summer>{_SUMMER})|(?P<autumn>{_AUTUMN})|(?P<spring>{_SPRING})"
    rf"|(?P<winter>{_WINTER})|(?P<christmas>{_CHRISTMAS})|(?P<easter>{_EASTER}))(?![a-z])"
)
_SEASON_START = {"spring": (3, 20), "summer": (6, 1), "autumn": (9, 1), "winter": (12, 1)}
_SEASON_END = {"spring": (6, 1), "summer": (9, 1), "autumn": (12, 1), "winter": (3, 1)}
_UNITS = re.compile(
    r"(?<![a-z])(?:in|again in|after|nach|dans|en|dentro de|tra|fra|over|daqui a|em|within|"
    r"give it|wait)"
    r" (?:a |an |one |ein |eine |une |un |uno |una |een |um |uma |a couple of |a few |"
    r"ein paar |quelques |unas |unos |alcune |alcuni |een paar |algumas |alguns )?"
    r"(?P<count>\d+|two|three|four|five|six|zwei|drei|vier|funf|sechs|deux|trois|quatre|cinq|"
    r"six|dos|tres|cuatro|cinco|seis|due|tre|quattro|cinque|sei|twee|drie|vijf|zes|duas|"
    r"quatro)? ?(?P<unit>weeks?|wochen?|semaines?|semanas?|settimane?|weken|months?|monaten?|"
    r"monat|mois|meses|mes|mesi|mese|maanden|maand|days?|tagen?|jours?|dias?|giorni|dagen)"
    r"(?![a-z])"
)
_FORTNIGHT = re.compile(
    r"(?<![a-z])(?:fortnight|quinze jours|quince dias|quindici giorni|"
    r"twee weken|quinze dias|vierzehn tagen)(?![a-z])"
)
_COUNTS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "funf": 5,
    "sechs": 6,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "due": 2,
    "tre": 3,
    "quattro": 4,
    "cinque": 5,
    "sei": 6,
    "twee": 2,
    "drie": 3,
    "vijf": 5,
    "zes": 6,
    "duas": 2,
    "quatro": 4,
}
_FEW = re.compile(r"a few|ein paar|quelques|unas|unos|alcune|alcuni|een paar|algumas|alguns")


def _upcoming(today: date, month: int, day: int) -> date:
    """The next `month`/`day` after today (this year's, else next year's)."""
    this_year = date(today.year, month, min(day, calendar.monthrange(today.year, month)[1]))
    return this_year if this_year > today else date(today.year + 1, month, this_year.day)


def _from_month(match: re.Match[str], today: date) -> date:
    month = _MONTHS[match.group("month")]
    if match.group("after"):
        return _upcoming(today, month % 12 + 1, 1) if month != 12 else _upcoming(today, 1, 1)
    if match.group("mid"):
        return _upcoming(today, month, 15)
    if month == today.month and not match.group("mid"):
        return today  # "in March", said in March: now is welcome
    if match.group("late"):
        # "until the end of June", "fin avril": the month is spent; the day after is welcome.
        return _upcoming(today, month, 31) + timedelta(days=1)  # 31 is clamped to the last day
    return _upcoming(today, month, 1)


def _from_quarter(match: re.Match[str], today: date) -> date:
    number = next(
        (n for n in range(1, 5) if match.group(f"o{n}")),
        int(match.group("q") or match.group("trailing") or 1),
    )
    if match.group("after"):
        number += 1
    year = int(match.group("year")) if match.group("year") else today.year
    year, number = (year + 1, 1) if number > 4 else (year, number)
    start = date(year, 3 * number - 2, 1)
    return start if start > today else date(start.year + 1, start.month, 1)


def _from_season(match: re.Match[str], today: date) -> date:
    after = match.group("after") is not None
    if match.group("easter"):
        sunday: date = easter(today.year)
        sunday = sunday if sunday > today else easter(today.year + 1)
        return sunday + timedelta(days=2 if after else -7)
    if match.group("christmas"):
        return _upcoming(today, 1, 5) if after else _upcoming(today, 12, 1)
    season = next(name for name in _SEASON_START if match.group(name))
    month, day = (_SEASON_END if after else _SEASON_START)[season]
    return _upcoming(today, month, day)


def _from_units(match: re.Match[str], today: date) -> date:
    word = match.group("count")
    few = _FEW.search(match.group(0))
    count = int(word) if word and word.isdigit() else _COUNTS.get(word or "", 3 if few else 1)
    if "couple" in match.group(0):
        count = 2
    unit = match.group("unit")
    if unit.startswith(("week", "woche", "semain", "seman", "settiman", "wek")):
        return today + timedelta(weeks=count)
    if unit.startswith(("day", "tag", "jour", "dia", "giorn", "dag")):
        return today + timedelta(days=count)
    return today + timedelta(days=30 * count)


def recontact_dates(text: str, today: date) -> list[date]:
    """The first welcome day of every recontact expression in `text`, in no special order."""
    found: list[date] = []
    for pattern, resolve in (
        (_QUARTER, _from_quarter),
        (_MONTH, _from_month),
        (_SEASON, _from_season),
        (_UNITS, _from_units),
    ):
        found += [resolve(m, today) for m in pattern.finditer(text)]
    fixed: tuple[tuple[re.Pattern[str], Callable[[], date]], ...] = (
        (_NEXT_QUARTER, lambda: _upcoming(today, 3 * ((today.month - 1) // 3 + 1) % 12 + 1, 1)),
        (_NEXT_MONTH, lambda: _upcoming(today, today.month % 12 + 1, 1)),
        (_NEXT_WEEK, lambda: today + timedelta(days=7 - today.weekday())),
        (_NEXT_YEAR, lambda: _upcoming(today, 1, 5)),
        (_HALF, lambda: _upcoming(today, 7, 1)),
        (_FORTNIGHT, lambda: today + timedelta(weeks=2)),
    )
    found += [when() for pattern, when in fixed if pattern.search(text)]
    return found
