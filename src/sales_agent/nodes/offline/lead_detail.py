"""The lead's own detail: a stated problem, their operation, a count of their things, a place.

The writer opens with it ("Thanks for the note on your warehouse in Getafe"), so a reply
answers what this lead wrote rather than any lead. Every pattern is the lead's own words,
rephrased to address them; without one the writer uses no detail at all.
"""

from __future__ import annotations

import re
from functools import cache

from sales_agent.nodes.offline.intent_rules import normalise
from sales_agent.nodes.offline.language import detect_language
from sales_agent.nodes.offline.when import CALENDAR_WORDS, TIME_UNITS
from sales_agent.policy.pii import packaged_first_names

__all__ = ["lead_detail"]


# "Our biggest headache right now is dispatch delays in the warehouse": the words after the
# verb that follows a problem noun are the lead's own statement of the problem.
_PROBLEM = re.compile(
    r"\b(?:headache|problem|issue|challenge|pain point|bottleneck|priority|struggle|goal)s?\b"
    r"[^.:;!?]{0,40}?\b(?:is|are|has been|have been)\s+(?P<detail>[^.:;!?,]{3,70})",
    re.IGNORECASE,
)
# "Inventory accuracy is our biggest headache": the same statement, the problem said first.
_PROBLEM_FIRST = re.compile(
    r"(?:^|(?<=[.:;!?,\n]))\s*(?P<detail>[^.:;!?,\n]{3,50}?)\s+(?:is|are|has been|have been|"
    r"remains)\s+(?:our|my|the)\s+(?:(?:biggest|main|real|top|key|current|greatest|single|"
    r"number one)\s+)*(?:headache|problem|issue|challenge|pain point|bottleneck|priority|"
    r"struggle)s?\b",
    re.IGNORECASE,
)
_REPHRASE = {"our": "your", "we": "you", "my": "your", "us": "you", "i": "you"}


# "our DC in Northampton", "the returns backlog", "our hub is in Speke": the lead's own
# operation, named in their words (English: the letter is written in English).
_OPERATION = re.compile(
    r"\b(?i:our|my|the|a|an) (?P<detail>(?:[a-z][\w-]* ){0,2}(?i:warehouse|dc|depot|site|hub|"
    r"cross-dock|distribution centre|distribution center|fleet|yard|packhouse|stockroom|"
    r"returns|picking|dispatch|despatch|inventory|stock accuracy|cold chain|replenishment|"
    r"slotting|changeovers?|backlog|deliveries|routes|loading bay|dock)(?![\w-]))"
    r"(?:(?: is| are)? (?P<at>in|at|near) (?P<place>[A-Z][\w-]+(?: [A-Z][\w-]+)?))?"
)
# "our Carmarthen site", "the whole Milton Keynes warehouse": a town before the site's noun.
_TOWN_SITE = re.compile(
    r"\b(?i:our|my|the) (?:(?i:whole|main|new|old|own|busiest|biggest) )?"
    r"(?P<place>[A-Z][a-z][\w'-]*(?: [A-Z][a-z][\w'-]*)?(?: and [A-Z][a-z][\w'-]*)?) "
    r"(?P<site>(?i:site|warehouse|yard|depot|dc|plant|factory|hub|stores?|branch|mill|"
    r"distribution centre|distribution center|cross-dock|packhouse|fulfilment centre)s?)\b"
)


# A site of theirs in any of the seven languages, by what it is in English: the letter says
# "your warehouse in Getafe" for "nuestro almacén de Getafe" or "unser Lager in Damme".
_SITE_KINDS = {
    "warehouse": r"warehouses?|almac[eé]n(?:es)?|naves?|magazzin[oi]|entrep[oô]ts?|"
    r"\w*lager[sn]?|armaz[eé]m|armaz[eé]ns|magazijn(?:en)?|loods(?:en)?|bodegas?",
    "distribution centre": r"dcs?|cds?|cedis|centro de distribuci[oó]n|"
    r"centro de distribui[cç][aã]o|centro distributivo|centre de distribution|"
    r"distributiecentrum|verteilzentrum|logistikzentrum",
    "plant": r"plants?|factory|factories|plantas?|f[aá]bricas?|stabiliment[oi]|usines?|"
    r"fabrie?ken|fabriek|werke?s?|fabbric[ah]e?",
    "depot": r"depots?|dep[oó]sitos?|deposit[oi]|d[eé]p[oô]ts?",
    "site": r"sites?|sede|standorte?s?|vestiging(?:en)?|unidades?|filiale?n?|filial|"
    r"niederlassung(?:en)?|stabilimento",
}
# Words for "in", "at" or "of" that join a site to its town in the seven languages.
_SITE_TO_PLACE = r"in|at|near|em|en|de|del|di|a|à|au|da|do|te|bij|van|nabij|vicino a|bei"
# A town: capitalised words, with the small words inside names ("Peso da Régua", "Alhama de
# Murcia", "Frankfurt am Main", "Stratford-upon-Avon"). A capital and then small letters:
# "HR", "ACM" or "HubSpot" are not towns.
_TOWN_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-Za-zÀ-ÿ][a-zà-ÿ'’]*)*"
_TOWN = (
    rf"{_TOWN_WORD}(?: (?:(?:da|de|del|della|di|do|dos|das|la|le|sur|am|an der|upon) )?"
    rf"{_TOWN_WORD}){{0,2}}"
)
_SITE_KIND_OF = [
    (kind, re.compile(rf"^(?:{words})$", re.IGNORECASE)) for kind, words in _SITE_KINDS.items()
]
# The site's words in any case ("Lager", "CD"); the town's case-sensitive (a capital first).
_SITE = re.compile(
    rf"(?<![\w])(?P<site>(?i:{'|'.join(_SITE_KINDS.values())}))(?![\w])"
    rf"(?: [a-zà-ÿ][\w-]*){{0,2}}?"  # "almacén principal de", "Lager hier in"
    rf" (?:{_SITE_TO_PLACE}) (?P<place>{_TOWN})(?![\w])"
)


def _town_site(text: str, besides: frozenset[str]) -> str | None:
    """Their site named after its town ("your Carmarthen site"), in their word order."""
    for match in _TOWN_SITE.finditer(text):
        if _is_town(place := match.group("place"), besides):
            return f"your {place} {match.group('site')}"
    return None


def _site_in_place(text: str, besides: frozenset[str]) -> str | None:
    """A site of theirs and its town, in English ("your warehouse in Getafe")."""
    for match in _SITE.finditer(text):
        place = match.group("place")
        if not _is_town(place, besides):
            continue
        kind = next(k for k, pattern in _SITE_KIND_OF if pattern.match(match.group("site")))
        return f"your {kind} in {place}"
    return None


# "our warehouse in Zwolle", "torréfacteurs à Bordeaux", "um CD em Jundiaí": a place the lead
# names after a word for "in" or "near" (capitalised, so "in time" is not a place). Not "at"
# or "bei", which name employers as often as places, and not in German, whose nouns are all
# capitalised ("in Elternzeit", "in Ordnung").
_PLACE = re.compile(
    r"(?<![\w])(?:in|near|outside|through|via|à|au|près de|en|cerca de|em|perto de|te|bij|nabij|"
    r"vicino a|"
    rf"vanuit|desde|depuis)\s+(?P<place>{_TOWN})(?![\w])"
)
# "3 depots", "600 cafés", "6,000 pallet positions", "9 filialen": a count of their own things.
_FIGURE = re.compile(
    r"(?<![\w.,/:-])(?P<figure>\d{1,3}(?:[.,]\d{3})+|\d{1,3}) (?P<thing>[a-zA-Zà-ÿÀ-Ý][\w-]{3,})"
)  # at most three digits or thousands: "2026" and "28217" are years and postcodes
# Words that make a number a span of time or an amount rather than a count of things.
_NOT_THINGS = TIME_UNITS | {
    "percent", "per", "pro", "por", "par", "euro", "euros", "eur", "pounds", "gbp", "usd",
    "dollars", "reais", "real", "libras",
}  # fmt: skip


_SIGN_OFF_WORDS = 4  # "Lena Baumgartner", "Cheers, Tom": a name, not a place


@cache
def _first_names() -> frozenset[str]:
    """A first name is a person ("copied in Karen"), not a place."""
    return frozenset(normalise(name) for name in packaged_first_names())


# Software a team works "in" ("we track it in Excel", "alles in SAP"): not a place.
_TOOLS = frozenset(
    {
        "excel", "sap", "teams", "zoom", "outlook", "google", "sheets", "linkedin", "whatsapp",
        "slack", "oracle", "netsuite", "dynamics", "shopify", "amazon", "sharepoint", "word",
        "powerpoint", "salesforce", "hubspot",
    }
)  # fmt: skip


def _is_town(place: str, besides: frozenset[str]) -> bool:
    """Not a weekday, a month, the sign-off or a tool, and not a person ("Karen", "Vito S.")."""
    words = [normalise(word) for word in place.split()]
    return not (set(words) & (besides | _TOOLS) or words[0] in _first_names())


def _named_place(text: str, besides: frozenset[str]) -> str | None:
    for match in _PLACE.finditer(text):
        if _is_town(place := match.group("place"), besides):
            return place
    return None


def _counted_things(text: str, besides: frozenset[str]) -> str | None:
    for match in _FIGURE.finditer(text):
        thing = match.group("thing")
        # "11 ideally": an adverb after a number is a time, not a count of things.
        if normalise(thing) not in _NOT_THINGS | besides and not thing.endswith("ly"):
            return f"{match.group('figure')} {thing}"
    return None


def _addressed(phrase: str) -> str:
    return " ".join(_REPHRASE.get(w.lower(), w) for w in phrase.split())


def lead_detail(text: str) -> str | None:
    """The lead's own words about their problem or operation, rephrased to address them.

    A stated problem comes first; else the operation they named with its place ("your DC in
    Northampton"); else, in any language, a count of their own things ("your 3 depots"), the
    operation alone ("your warehouse") or a place they named ("your team in Bordeaux"). A
    merely frequent phrase ("dana run", "deputy tuesday") quoted back reads as a machine, so
    without any of these the writer uses no detail at all.
    """
    if match := _PROBLEM.search(text) or _PROBLEM_FIRST.search(text):
        return _addressed(match.group("detail"))
    # Weekdays, months and the sign-off are not the lead's operation.
    lines = text.strip().splitlines()
    sign_off = lines[-1] if len(lines) > 1 and len(lines[-1].split()) <= _SIGN_OFF_WORDS else ""
    besides = CALENDAR_WORDS | frozenset(normalise(sign_off).split())
    operation = _OPERATION.search(text)
    if operation and operation.group("place"):
        at, place = operation.group("at", "place")
        return f"your {operation.group('detail')} {at} {place}"  # "a bonded ..." is theirs
    if site := _town_site(text, besides) or _site_in_place(text, besides):
        return site
    # A count of their things ("your 22,000 SKUs") says more of this lead than a bare noun
    # of the trade ("your site", "your warehouse").
    if counted := _counted_things(text, besides):
        return f"your {counted}"
    if operation:
        return f"your {operation.group('detail')}"
    if detect_language(text) != "de" and (place := _named_place(text, besides)):
        return f"your team in {place}"
    return None
