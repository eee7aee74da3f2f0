"""The offline thread reader.

Cleans inbound text and reads intent, tone and topics from it with lexicons, so a run needs
no model and gives the same answer every time.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from importlib.resources import files
from itertools import pairwise
from typing import Literal

from sales_agent.connectors.gmail_parsing import strip_reply

Sentiment = Literal["positive", "neutral", "negative"]

__all__ = [
    "clean_reply",
    "detect_intent",
    "detect_sentiment",
    "key_phrases",
    "lead_detail",
    "return_date",
    "summarize",
]

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_WORDS = re.compile(r"[a-z][a-z'-]+")

# Ordered: the first intent whose cues appear wins (an unsubscribe inside a complaint is
# still an unsubscribe). Cues match whole words, so "costs too much" is not a price question.
_INTENT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(r"\b(" + "|".join(cues) + r")\b", re.IGNORECASE))
    for intent, cues in (
        ("unsubscribe", ("unsubscribe", "remove me", "stop emailing", "take me off")),
        ("out_of_office", ("out of office", "out of the office", "on leave", "returning on")),
        (
            "confidential_request",
            ("other clients", "what you charged", "what did you charge", "your client list"),
        ),
        ("not_interested", ("not interested", "no thanks", "not a priority", "not for us")),
        ("angry_reply", ("ridiculous", "unacceptable", "annoyed", "spam", "stop sending")),
        (
            "pricing_question",
            ("pricing", "price", "how much", "what does it cost", "quote", "budget", "your rates"),
        ),
        ("meeting_request", ("a call", "a chat", "meet", "available", "next week")),
        ("objection", ("already have", "too expensive", "not sure", "tried before")),
        ("referral", ("copying in", "introduce you", "introducing", "the person to talk to")),
    )
)
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


def detect_intent(text: str) -> str:
    """The lead's intent from cue phrases; `new_lead` when nothing more specific shows."""
    for intent, cues in _INTENT_CUES:
        if cues.search(text):
            return intent
    return "new_lead"


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


def lead_detail(text: str) -> str | None:
    """The lead's own statement of their problem, rephrased to address them; else None.

    Only a stated problem counts: a merely frequent phrase ("dana run", "deputy tuesday")
    quoted back reads as a machine, so without one the writer uses no detail at all.
    """
    match = _PROBLEM.search(text)
    if match is None:
        return None
    words = match.group("detail").split()
    return " ".join(_REPHRASE.get(w.lower(), w) for w in words)


# English month names (the C locale's): the auto-replies we read are in English.
_MONTHS = {calendar.month_name[number].lower(): number for number in range(1, 13)}
# "out of the office until Monday 30 November 2026", "back on 2 December": a day, a month
# name and perhaps a year after a word that announces the return.
_RETURN = re.compile(
    r"\b(?:until|returning(?: on)?|back on|back)\s+(?:[a-z]+day,?\s+)?(?P<day>\d{1,2})"
    r"(?:st|nd|rd|th)?\s+(?P<month>[a-z]+)(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)


def return_date(text: str, today: date) -> date | None:
    """The date an out-of-office reply says its writer is back, if it names one.

    A date without a year is the next one on or after `today`.
    """
    match = _RETURN.search(text)
    if match is None or match.group("month").lower() not in _MONTHS:
        return None
    month, day = _MONTHS[match.group("month").lower()], int(match.group("day"))
    year = int(match.group("year")) if match.group("year") else today.year
    try:
        found = date(year, month, day)
        if not match.group("year") and found < today:
            found = date(year + 1, month, day)
    except ValueError:  # "31 February": not a date, so no task date either
        return None
    return found


def summarize(text: str, max_chars: int = 240) -> str:
    """The first sentences of `text`, up to `max_chars`, on one line."""
    flat = " ".join(text.split())
    summary = ""
    for sentence in _SENTENCES.split(flat):
        if summary and len(summary) + len(sentence) + 1 > max_chars:
            break
        summary = f"{summary} {sentence}".strip()
    return summary[:max_chars]
