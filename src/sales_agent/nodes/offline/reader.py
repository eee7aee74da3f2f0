"""The offline thread reader: what the lead's latest message says, with no model at all.

The intent comes from high-recall rules for the replies that must never get a pitch
(unsubscribe, delivery failure, complaint, auto-reply) in seven languages, then from a
classifier trained on labelled replies; an uncertain reading is `unclear`. Dates, times,
language and the people a message names come from their own small extractors. The same
message always reads the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import TYPE_CHECKING, Literal, cast

from sales_agent.connectors.gmail_parsing import strip_reply
from sales_agent.domain import INTENTS, Intent
from sales_agent.nodes.offline.intent_cues import (
    CUE_FAMILIES,
    DECISIVE,
    MEETING_ASK,
    NOT_INTERESTED,
)
from sales_agent.nodes.offline.intent_model import classifier_text, classify
from sales_agent.nodes.offline.intent_rules import match_rules, names_a_colleague, normalise
from sales_agent.nodes.offline.language import detect_language
from sales_agent.nodes.offline.when import CALENDAR_WORDS, available_from, meeting_preferences
from sales_agent.policy.injection import without_directives
from sales_agent.policy.pii import packaged_first_names

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

Sentiment = Literal["positive", "neutral", "negative"]

__all__ = [
    "UNCLEAR_BELOW",
    "Reading",
    "clean_reply",
    "detect_intent",
    "detect_sentiment",
    "key_phrases",
    "lead_detail",
    "read_message",
    "summarize",
]

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_WORDS = re.compile(r"[a-z][a-z'-]+")

_LEAD_IN_SUFFIXES = ("ing", "ed", "ly", "est")
_POSITIVE = frozenset(
    ["thanks", "great", "keen", "interested", "love", "helpful", "glad", "appreciate"]
)
_NEGATIVE = frozenset(
    ["annoyed", "frustrated", "unacceptable", "disappointed", "spam", "stop", "angry"]
)
_STOPWORDS = frozenset(
    line.strip()
    for line in (files(__package__) / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)


def clean_reply(body: str) -> str:
    """The new text of a reply: quoted history and signature removed, the sign-off kept."""
    return strip_reply(body)


# Below this probability the classifier's best guess is not trusted: the reading is
# `unclear`, and the operator is shown the message instead of the lead getting a guess.
UNCLEAR_BELOW = 0.2
# A message of this many words or fewer, with no rule, cue, day or time in it, says nothing
# the agent can act on ("Thanks", "ok", "See below", a signature).
_FEW_WORDS = 3
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DAEMONS = ("mailer-daemon", "postmaster", "no-reply", "noreply")


@dataclass(frozen=True)
class Reading:
    """What the offline reader makes of the lead's latest message."""

    intent: Intent
    confidence: float
    language: str
    return_date: date | None = None
    follow_up_on: date | None = None
    alternative_contact: str | None = None
    bounced_address: str | None = None
    proposed_days: tuple[str, ...] = ()
    earliest_time: time | None = None
    latest_time: time | None = None


def detect_intent(
    text: str, *, subject: str = "", sender: str = "", model: Pipeline | None = None
) -> tuple[Intent, float]:
    """The lead's intent and how sure the reader is: the safety rules, then the classifier.

    `model` replaces the packaged classifier (cross-validation trains its own). Lines that
    address the AI are not the lead's words and are left out of the reading.
    """
    text = without_directives(text)
    rule = match_rules(text, subject=subject, sender=sender)
    if rule is not None:
        return cast(Intent, rule.intent), 1.0
    folded = normalise(text)
    decided = [intent for intent, family in DECISIVE if family.search(folded)]
    # "Not me, talk to Siobhan (siobhan@ourco)": naming a colleague's own address hands over.
    if names_a_colleague(text, sender) and (not decided or decided[0] == "wrong_person"):
        return "referral", 1.0
    if decided:
        # A wrong person who names the right one is a referral.
        if decided[0] == "wrong_person" and "referral" in decided:
            return "referral", 1.0
        return cast(Intent, decided[0]), 1.0
    if MEETING_ASK.search(folded) and meeting_preferences(text) != ((), None, None):
        return "meeting_request", 1.0  # a call asked for, on days or at times the lead names
    if NOT_INTERESTED.search(folded) and not CUE_FAMILIES["objection"].search(folded):
        return "not_interested", 1.0
    if len(_WORDS.findall(folded)) <= _FEW_WORDS and not any(
        family.search(folded) for family in CUE_FAMILIES.values()
    ):
        return "unclear", 1.0  # "Thanks", "?", "See below": nothing to act on
    guess = classify(classifier_text(text, subject=subject), model)
    if guess.probability < UNCLEAR_BELOW or guess.intent not in INTENTS:
        return "unclear", guess.probability
    return guess.intent, guess.probability


def _addresses(text: str, *, besides: set[str]) -> list[str]:
    found = (a.lower().rstrip(".") for a in _ADDRESS.findall(text))
    return [a for a in dict.fromkeys(found) if a not in besides and not a.startswith(_DAEMONS)]


def read_message(
    text: str, *, subject: str, sender: str, known: set[str], now: datetime
) -> Reading:
    """Intent, language and what the message says about dates, times and other people.

    `known` are the addresses already on the thread (the lead's, the operator's): a bounce
    names the address that failed, an auto-reply may name someone else to write to.
    """
    intent, confidence = detect_intent(text, subject=subject, sender=sender)
    language = detect_language(f"{subject}\n{text}")
    others = _addresses(text, besides=known)
    days, earliest, latest = meeting_preferences(text)
    meeting = intent in ("meeting_request", "new_lead", "referral", "pricing_question")
    return Reading(
        intent=intent,
        confidence=round(confidence, 3),
        language=language,
        return_date=available_from(text, now, language) if intent == "out_of_office" else None,
        follow_up_on=available_from(text, now, language) if intent == "timing" else None,
        alternative_contact=others[0] if intent == "out_of_office" and others else None,
        bounced_address=others[0] if intent == "bounce" and others else None,
        proposed_days=days if meeting else (),
        earliest_time=earliest if meeting else None,
        latest_time=latest if meeting else None,
    )


def detect_sentiment(text: str) -> Sentiment:
    """positive, neutral or negative, by counting cue words."""
    words = _WORDS.findall(text.lower())
    score = sum(w in _POSITIVE for w in words) - 2 * sum(w in _NEGATIVE for w in words)
    if score > 0:
        return "positive"
    return "negative" if score < 0 else "neutral"


def _content(word: str) -> bool:
    return word not in _STOPWORDS and len(word) > 2


def key_phrases(texts: Sequence[str], limit: int = 5) -> list[str]:
    """Recurring two-word phrases (then words) of content, most frequent and earliest first.

    A phrase whose first word ends in -ing, -ed, -ly or -est is usually a verb, adverb or
    superlative leading into the topic, so it yields to the noun phrase that follows.
    """
    phrases: Counter[str] = Counter()
    singles: Counter[str] = Counter()
    for text in texts:
        words = _WORDS.findall(text.lower())
        singles.update(w for w in words if _content(w))
        for first, second in pairwise(words):
            if _content(first) and _content(second) and not first.endswith(_LEAD_IN_SUFFIXES):
                phrases[f"{first} {second}"] += 1
    ranked = [p for p, _ in phrases.most_common()]
    covered = {w for p in ranked for w in p.split()}
    ranked += [w for w, _ in singles.most_common() if w not in covered]
    return ranked[:limit]


# "Our biggest headache right now is dispatch delays in the warehouse": the words after the
# verb that follows a problem noun are the lead's own statement of the problem.
_PROBLEM = re.compile(
    r"\b(?:headache|problem|issue|challenge|pain point|bottleneck|priority|struggle|goal)s?\b"
    r"[^.:;!?]{0,40}?\b(?:is|are|has been|have been)\s+(?P<detail>[^.:;!?,]{3,70})",
    re.IGNORECASE,
)
_REPHRASE = {"our": "your", "we": "you", "my": "your", "us": "you", "i": "you"}


# "our DC in Northampton", "the returns backlog", "our cross-dock in Leeds": the lead's own
# operation, named in their words (English: the letter is written in English).
_OPERATION = re.compile(
    r"\b(?i:our|my|the|a|an) (?P<detail>(?:[a-z][\w-]* ){0,2}(?i:warehouse|dc|depot|site|hub|"
    r"cross-dock|distribution centre|distribution center|fleet|yard|packhouse|stockroom|"
    r"returns|picking|dispatch|despatch|inventory|stock accuracy|cold chain|replenishment|"
    r"slotting|changeovers?|backlog|deliveries|routes|loading bay|dock)(?![\w-])"
    r"(?: (?:in|at|near) [A-Z][\w-]+(?: [A-Z][\w-]+)?)?)"
)


# "our warehouse in Zwolle", "torréfacteurs à Bordeaux", "um CD em Jundiaí": a place the lead
# names after a word for "in" or "near" (capitalised, so "in time" is not a place). Not "at"
# or "bei", which name employers as often as places, and not in German, whose nouns are all
# capitalised ("in Elternzeit", "in Ordnung").
_PLACE = re.compile(
    r"(?<![\w])(?:in|near|outside|à|au|près de|en|cerca de|em|perto de|te|bij|nabij|vicino a)"
    r"\s+(?P<place>[A-ZÀ-Ý][a-zà-ÿ'’-]+(?: [A-ZÀ-Ý][a-zà-ÿ'’-]+)?)(?![\w])"
)  # a capital and then small letters: "HR", "ACM" or "HubSpot" are not places
# "3 depots", "600 cafés", "6,000 pallet positions", "9 filialen": a count of their own things.
_FIGURE = re.compile(
    r"(?<![\w.,/:-])(?P<figure>\d{1,3}(?:[.,]\d{3})+|\d{1,3}) (?P<thing>[a-zà-ÿ][\w-]{3,})"
)  # at most three digits or thousands: "2026" and "28217" are years and postcodes
# Words that make a number a time, an amount or a date rather than a count of things.
_NOT_THINGS = frozenset(
    """
    am pm uhr h hrs hours hour minutes mins days day weeks week months month years year
    jahre jahren tage tagen wochen monate monaten jours jour semaines mois ans annees dias dia
    semanas meses anos giorni settimane mesi anni dagen dag weken maanden jaar jaren percent
    per pro por par euro euros eur pounds gbp usd dollars reais real libras minuten minutos
    horas hora ore uren stunden heures minuti
    """.split()  # noqa: SIM905 (a word list reads best as words)
)


_SIGN_OFF_WORDS = 4  # "Lena Baumgartner", "Cheers, Tom": a name, not a place


@cache
def _first_names() -> frozenset[str]:
    """A first name is a person ("copied in Karen"), not a place."""
    return frozenset(normalise(name) for name in packaged_first_names())


def _named_place(text: str, besides: frozenset[str]) -> str | None:
    for match in _PLACE.finditer(text):
        place = match.group("place")
        if not ({normalise(word) for word in place.split()} & besides):
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

    A stated problem comes first; else the operation they named ("your DC in Northampton");
    else, in any language, a count of their own things ("your 3 depots") or a place they
    named ("your team in Bordeaux"). A merely frequent phrase ("dana run", "deputy tuesday")
    quoted back reads as a machine, so without any of these the writer uses no detail at all.
    """
    if match := _PROBLEM.search(text):
        return _addressed(match.group("detail"))
    if match := _OPERATION.search(text):
        return f"your {match.group('detail')}"  # "a bonded warehouse" is theirs: "your ..."
    # Weekdays, months and the sign-off are not the lead's operation.
    lines = text.strip().splitlines()
    sign_off = lines[-1] if len(lines) > 1 and len(lines[-1].split()) <= _SIGN_OFF_WORDS else ""
    besides = CALENDAR_WORDS | frozenset(normalise(sign_off).split())
    if counted := _counted_things(text, besides):
        return f"your {counted}"
    if detect_language(text) != "de" and (place := _named_place(text, besides | _first_names())):
        return f"your team in {place}"
    return None


def summarize(text: str, max_chars: int = 240) -> str:
    """The first sentences of `text`, up to `max_chars`, on one line."""
    flat = " ".join(text.split())
    summary = ""
    for sentence in _SENTENCES.split(flat):
        if summary and len(summary) + len(sentence) + 1 > max_chars:
            break
        summary = f"{summary} {sentence}".strip()
    return summary[:max_chars]
