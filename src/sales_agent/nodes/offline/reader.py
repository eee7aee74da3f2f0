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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from importlib.resources import files
from itertools import pairwise
from typing import TYPE_CHECKING, Literal, cast

from sales_agent.connectors.gmail_parsing import strip_reply
from sales_agent.domain import INTENTS, Intent
from sales_agent.nodes.offline.intent_cues import (
    ASSET_REQUEST,
    CUE_FAMILIES,
    DECISIVE,
    FOR_NOW,
    LATER,
    MEETING_ASK,
    NO_LATER,
    NOT_INTERESTED,
    YES,
)
from sales_agent.nodes.offline.intent_rules import (
    RULED_INTENTS,
    is_reply,
    match_rules,
    names_a_colleague,
    normalise,
)
from sales_agent.nodes.offline.language import detect_language
from sales_agent.nodes.offline.meeting_times import (
    RULED_OUT,
    meeting_preferences,
    stated_time_zone,
)
from sales_agent.nodes.offline.when import available_from
from sales_agent.policy.injection import without_directives

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

    from sales_agent.nodes.offline.intent_model import IntentGuess

Sentiment = Literal["positive", "neutral", "negative"]

__all__ = [
    "UNCLEAR_BELOW",
    "Reading",
    "accepts_our_call",
    "clean_reply",
    "detect_intent",
    "detect_sentiment",
    "key_phrases",
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
NO_OVER_PITCH = 0.6
"""A reading that would pitch gives way to a plain no this close to it (its probability's share).

Pitching someone who said no is the costlier mistake: the careful reading is the no. Read
file by file on `dev` (3,352 replies, each file by a classifier trained on the others), 0.6
kept accuracy (0.912), took the no's recall from 0.893 to 0.905 and the no's answered with a
pitch from 9 to 6, for 6 more replies closed that were not a no; lower ratios cost accuracy."""
# In order of precedence: a complaint first.
OVER_AN_OPT_OUT: Mapping[Intent, float] = {"complaint": 0.8}
OVER_A_NO: Mapping[Intent, float] = {"complaint": 0.5, "unsubscribe": 0.5}
"""How sure the classifier must be of a stronger reading to overrule an opt-out, or a no,
found in words.

"I said no in January, I said no in February. Stop emailing me" opts out in words and
complains in tone; "Kein Interesse, und bitte keine weiteren Mails" says no in words and asks
to stop. Pitching or closing to someone who complained or asked to stop is the costlier
mistake. Read file by file on `dev` (8,756 replies in 4 groups, each by a classifier trained
on the other three), these took complaint recall from 0.946 to 0.964 at the same precision,
and unsubscribe recall from 0.977 to 0.982, for 2 plain opt-outs read as complaints (both
are suppressed; a complaint is also flagged) and 1 plain no read as an opt-out. An opt-out
needs the surer reading: lower thresholds moved more plain opt-outs than complaints; a no
gives way at even odds, where the classifier reads a safety-critical intent on its own."""
OVER_A_LATER: Mapping[Intent, float] = {"complaint": 0.5, "unsubscribe": 0.5, "not_interested": 0.5}
"""How sure the classifier must be that a "not now" found in words is said in a complaint, an
opt-out or a no ("It's a no. Not now, not in six months"; "I said 'not now'. Not every week
since. Please stop").

Read file by file on `dev` (9,667 replies in 4 groups), the 256 replies that say "later" in
words read 0.5 or less for all three; the 3 no's among them read 0.95 or more."""
_NOT_A_HANDOVER = frozenset({"existing_customer", "new_lead"})
"""Readings under which a colleague's address in the message hands nothing over.

Read file by file on `dev` (10,757 replies in 4 groups), 7 such replies (clients, new
enquiries) read right and no referral read wrong."""
_NOT_OUR_ASSETS = frozenset({"confidential_request", "existing_customer"})
"""Readings under which a document asked for is not one of the operator's assets to send.

Read file by file on `dev` (9,301 replies in 4 groups), adding `existing_customer` read 14
clients' requests right and 2 prospects' wrong."""
_PITCHED = frozenset(
    {
        "new_lead",
        "meeting_request",
        "pricing_question",
        "asset_request",
        "question",
        "objection",
        "referral",
    }
)
"""Intents the planner answers with a pitch: a call, an asset or a follow-up."""
# A message of this many words or fewer, with no rule, cue, day or time in it, says nothing
# the agent can act on ("Thanks", "ok", "See below", a signature).
_FEW_WORDS = 3
_SHORT_YES = 10  # a greeting, the yes and a sign-off; more words say something else too
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
    time_zone: str | None = None
    """The zone the lead named for their times ("10am Eastern"); none means the operator's."""


def detect_intent(
    text: str,
    *,
    subject: str = "",
    sender: str = "",
    model: Pipeline | None = None,
    ruled_out: Collection[str] = (),
) -> tuple[Intent, float]:
    """The lead's intent and how sure the reader is: the safety rules, then the classifier.

    `model` replaces the packaged classifier (cross-validation trains its own). Lines that
    address the AI are not the lead's words and are left out of the reading. The classifier
    never guesses an intent in `ruled_out` (a prospect, by the CRM, is no `existing_customer`);
    what the text says outright, which the rules read, still stands.
    """
    text = without_directives(text)
    folded = normalise(text)
    rule = match_rules(text, subject=subject, sender=sender)
    if rule is not None and rule.about_our_mailing and _goes_on_to_ask(text, folded):
        rule = None  # "Fourth email, you've worn me down. Tuesday at 3?" is a yes: read on
    if rule is not None and rule.intent == "unsubscribe":
        if FOR_NOW.search(folded) and LATER.search(folded):
            # "No more emails for the moment, pick this up in Q3": a pause, not a stop.
            return _stronger_reading(text, subject, model, OVER_A_LATER, "timing")
        return _stronger_reading(text, subject, model, OVER_AN_OPT_OUT, "unsubscribe")
    if rule is not None:
        return cast(Intent, rule.intent), 1.0
    decided = [
        intent
        for intent, family in DECISIVE
        if family.search(folded) and not (intent == "timing" and NO_LATER.search(folded))
    ]
    # "Not me, talk to Siobhan (siobhan@ourco)": naming a colleague's own address hands over;
    # but a client's "invoices to ap@ourco as before", or an enquiry that copies a colleague,
    # does not, and the classifier tells those apart.
    if names_a_colleague(text, sender) and not decided:
        guess = _classify(text, subject, model, ruled_out)
        if guess.intent in _NOT_A_HANDOVER:
            return cast(Intent, guess.intent), guess.probability
        return "referral", 1.0
    if decided == ["timing"]:
        return _stronger_reading(text, subject, model, OVER_A_LATER, "timing")
    if decided:
        return cast(Intent, decided[0]), 1.0
    # A call asked for, on days or at times the lead names, in a reply to us; a fresh
    # enquiry that asks for a call is most often a new lead describing a problem.
    if (
        is_reply(subject)
        and MEETING_ASK.search(folded)
        and meeting_preferences(text) != ((), None, None)
    ):
        return "meeting_request", 1.0
    if NOT_INTERESTED.search(folded) and not CUE_FAMILIES["objection"].search(folded):
        return _stronger_reading(text, subject, model, OVER_A_NO, "not_interested")
    guess = _classify(text, subject, model, ruled_out)
    if len(_WORDS.findall(folded)) <= _FEW_WORDS and not any(
        family.search(folded) for family in CUE_FAMILIES.values()
    ):
        # "Thanks", "?", "See below": nothing to act on; but a curt opt-out no rule knows
        # ("baja porfa", "cancellazione grazie") still stops, by the classifier's backstop.
        if guess.intent in RULED_INTENTS:
            return cast(Intent, guess.intent), guess.probability
        return "unclear", 1.0
    # Asking for a document is an asset request, unless the document is another client's (a
    # confidential request) or the writer's own engagement's, as a client ("the slides from
    # Thursday's workshop"): the classifier tells those apart better than any word list, and
    # for a lead the CRM knows as a prospect it never reads a client.
    if ASSET_REQUEST.search(folded) and guess.intent not in _NOT_OUR_ASSETS:
        return "asset_request", 1.0
    if guess.probability < UNCLEAR_BELOW or guess.intent not in INTENTS:
        return "unclear", guess.probability
    if guess.intent in _PITCHED and guess.declined >= NO_OVER_PITCH * guess.probability:
        return "not_interested", guess.declined
    return guess.intent, guess.probability


def _classify(
    text: str, subject: str, model: Pipeline | None, ruled_out: Collection[str]
) -> IntentGuess:
    """The classifier's reading of the message (the packaged model unless `model` is given)."""
    # Imported here: the classifier needs scikit-learn (over a second to import), which a
    # process pays only when a reply gets this far, not at its start.
    from sales_agent.nodes.offline.intent_model import classifier_text, classify

    return classify(classifier_text(text, subject=subject), model, ruled_out=ruled_out)


def _goes_on_to_ask(text: str, folded: str) -> bool:
    """True when the message books a time, asks to hear again later, or asks for a document.

    Counting our mails and then asking for something ("I know, four emails. Try me in
    April"; "Four emails and not a word back. All right, send me a sample report") is a
    weary yes, not a complaint. `folded` is `text` normalised.
    """
    days, earliest, latest = meeting_preferences(text)
    booked = earliest is not None or latest is not None or bool(days and MEETING_ASK.search(folded))
    later = LATER.search(folded) is not None and NO_LATER.search(folded) is None
    return booked or later or ASSET_REQUEST.search(folded) is not None


def _stronger_reading(
    text: str,
    subject: str,
    model: Pipeline | None,
    thresholds: Mapping[Intent, float],
    otherwise: Intent,
) -> tuple[Intent, float]:
    """The first intent of `thresholds` the classifier is that sure of, else `otherwise`.

    The words found an opt-out or a no; a complaint outranks both, and an opt-out outranks a
    no. Anger, and asking to stop, have no fixed words of their own.
    """
    # Imported here for the reason `detect_intent` gives.
    from sales_agent.nodes.offline.intent_model import classifier_text, probabilities

    odds = probabilities(classifier_text(text, subject=subject), model)
    for intent, threshold in thresholds.items():
        if odds.get(intent, 0.0) >= threshold:
            return intent, odds[intent]
    return otherwise, 1.0


def accepts_our_call(reply: str, ours: str) -> bool:
    """True when `reply` is a short yes, with no question, to `ours`, which asked for a call.

    "Sounds good" read alone is too little to act on; under our "would a call on Tuesday
    work?" it is the lead accepting the call.
    """
    reply = without_directives(reply)  # lines that address the AI are not the lead's words
    folded = normalise(reply)
    short = len(_WORDS.findall(folded)) <= _SHORT_YES
    # "Not sure", "sure, but not Tuesday": a yes with a no in it is left for the operator.
    plain_yes = bool(YES.search(folded)) and not RULED_OUT.search(folded)
    return short and "?" not in reply and plain_yes and bool(MEETING_ASK.search(normalise(ours)))


def _addresses(text: str, *, besides: Collection[str]) -> list[str]:
    found = (a.lower().rstrip(".") for a in _ADDRESS.findall(text))
    return [a for a in dict.fromkeys(found) if a not in besides and not a.startswith(_DAEMONS)]


def read_message(
    text: str,
    *,
    subject: str,
    sender: str,
    known: Collection[str],
    now: datetime,
    ruled_out: Collection[str] = (),
) -> Reading:
    """Intent, language and what the message says about dates, times and other people.

    `known` are the addresses already on the thread (the lead's, the operator's): a bounce
    names the address that failed, an auto-reply may name someone else to write to.
    `ruled_out`: intents the classifier may not guess (see `detect_intent`).
    """
    intent, confidence = detect_intent(text, subject=subject, sender=sender, ruled_out=ruled_out)
    language = detect_language(f"{subject}\n{text}")
    others = _addresses(text, besides=known)
    days, earliest, latest = meeting_preferences(text, now.date())
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
        time_zone=stated_time_zone(text) if meeting else None,
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


def summarize(text: str, max_chars: int = 240) -> str:
    """The first sentences of `text`, up to `max_chars`, on one line."""
    flat = " ".join(text.split())
    summary = ""
    for sentence in _SENTENCES.split(flat):
        if summary and len(summary) + len(sentence) + 1 > max_chars:
            break
        summary = f"{summary} {sentence}".strip()
    return summary[:max_chars]
