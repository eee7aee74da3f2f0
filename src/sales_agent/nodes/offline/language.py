"""Which of the seven languages a message is written in, from its function words.

Hand-written rather than a language-identification library: the reader only has to tell
seven European languages apart in business mail, where a few dozen articles, pronouns and
prepositions per language decide it deterministically, with no model to load.
"""

from __future__ import annotations

import re

from sales_agent.nodes.offline.intent_rules import normalise

__all__ = ["detect_language"]

_FUNCTION_WORDS = {
    "en": "the and you your we our is are for with this that have not please thanks be will",
    "de": "der die das und ich sie wir ist nicht mit fur bitte ihre ihnen ein eine auf dass",
    "fr": "le la les et je vous nous est pas pour avec une des du merci votre ce que dans de",
    "es": "el la los las y yo usted nosotros es no para con una por gracias su que del este de",
    "it": "il lo la gli e io voi noi non per con una di grazie vostro che sono del della",
    "nl": "de het een en ik u wij jullie is niet voor met van graag uw dat op zijn bij",
    "pt": "o a os as e eu voce nos nao para com uma obrigado seu que do da em por vossa de no na "
    "um pode tem ser mas gente",
}
_VOCABULARY = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_WORD = re.compile(r"[a-z]+")


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the most likely language; English when nothing decides."""
    words = _WORD.findall(normalise(text))
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in _VOCABULARY.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > 0 else "en"
