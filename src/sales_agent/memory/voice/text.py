"""Text helpers shared by voice learning: words, sentences, paragraphs and word n-grams.

Every function works on text that is already stripped and redacted; a redaction
placeholder (`[NAME]`, `[COMPANY]`...) is kept as one token so no n-gram can straddle it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = [
    "NGRAM_SIZES",
    "STOPWORDS",
    "contains_phrase",
    "is_placeholder",
    "ngrams",
    "paragraphs",
    "phrase_key",
    "sentences",
    "words",
]

NGRAM_SIZES = (2, 3, 4)

# Function words: an n-gram made only of these says nothing about a voice.
_STOPWORD_LIST = """
    a about above after again all am an and any are as at be been before being below between
    both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just me more most
    my no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your yours yourself us let also get got
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())

_TOKEN = re.compile(r"\[[A-Z_]+\]|[A-Za-z0-9][A-Za-z0-9'’-]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_PARAGRAPH = re.compile(r"\n\s*\n")


def is_placeholder(token: str) -> bool:
    """True for a redaction placeholder such as `[NAME]`."""
    return token.startswith("[")


def words(text: str) -> list[str]:
    """Lower-cased word tokens; placeholders kept as they are."""
    return [t if is_placeholder(t) else t.lower() for t in _TOKEN.findall(text)]


def sentences(text: str) -> list[str]:
    """Sentences and lines, stripped, empty ones dropped."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def paragraphs(text: str) -> list[str]:
    """Blocks separated by a blank line."""
    return [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]


def _useful(gram: tuple[str, ...]) -> bool:
    return not any(map(is_placeholder, gram)) and not all(t in STOPWORDS for t in gram)


def ngrams(text: str, sizes: Iterable[int] = NGRAM_SIZES) -> Iterator[str]:
    """Word n-grams within each sentence, without placeholders or stopword-only grams."""
    sizes = tuple(sizes)
    for sentence in sentences(text):
        tokens = words(sentence)
        for n in sizes:
            for i in range(len(tokens) - n + 1):
                gram = tuple(tokens[i : i + n])
                if _useful(gram):
                    yield " ".join(gram)


def phrase_key(text: str) -> str:
    """`text` as the space-joined lower-case words that phrases are compared on."""
    return " ".join(words(text))


def contains_phrase(text: str, phrase: str) -> bool:
    """True when the words of `phrase` appear in `text` in order, on word boundaries."""
    return f" {phrase_key(phrase)} " in f" {phrase_key(text)} "
