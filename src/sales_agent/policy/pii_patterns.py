"""Patterns for personal and commercial details in text: one place for the redactor and the gate.

Each pattern is compiled once at import; they are tuned for low false positives on email
prose (dates, times, durations and version numbers are not phones or amounts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "AMOUNT",
    "DETAILS",
    "DOMAIN",
    "EMAIL",
    "PHONE",
    "URL",
    "is_phone",
    "link_host",
    "literal_alternation",
    "phone_key",
]

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A URL ends before trailing punctuation that belongs to the sentence.
_URL = r"(?:https?://|www\.)[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]"
# Bare domains need a known top-level domain, or "e.g" and "file.txt" would count.
_TLDS = (
    "com|org|net|io|co|uk|de|fr|nl|ie|eu|es|it|se|no|dk|pl|ch|at|be|us|ca|au|nz|in|"
    "ai|app|dev|biz|info|tech|cloud|example|test"
)
_DOMAIN = (
    r"(?<![\w@.-])(?i:(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r"))(?![\w-]|\.\w)"
)
# UK (+44 20 7946 0321, 020 7946 0321, 07700 900123), international (+49 (0)711 123456)
# and North American ((415) 555-0100) numbers; `is_phone` then checks the digit count.
_PHONE = (
    r"(?<![\w+])(?:"
    r"(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?|\(?0\d{1,4}\)?[ .-]?)\d{2,4}(?:[ .-]?\d{2,4}){1,3}"
    r"|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}"
    r")(?!\w)"
)
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s?(?:k|K|m|M|bn|mn)\b|\s(?:thousand|million|billion)\b)?"
_CODE = r"(?:GBP|USD|EUR|CHF|CAD|AUD|pounds?|dollars?|euros?)\b"
# £40k, $1.2m, €5,000; 40k GBP, 1,200 euros; USD 10k.
_AMOUNT = (
    rf"[£$€]\s?{_NUMBER}{_SCALE}"
    rf"|(?<![\w.,]){_NUMBER}{_SCALE}\s?{_CODE}"
    rf"|\b(?:GBP|USD|EUR|CHF|CAD|AUD)\s?{_NUMBER}{_SCALE}"
)

EMAIL = re.compile(_EMAIL)
URL = re.compile(_URL, re.IGNORECASE)
DOMAIN = re.compile(_DOMAIN)
PHONE = re.compile(_PHONE)
AMOUNT = re.compile(_AMOUNT)
# Every fixed kind in one pass; earlier alternatives win where spans overlap (an email's
# domain is part of the email, a price is not a phone number).
DETAILS = re.compile(
    rf"(?P<EMAIL>{_EMAIL})|(?P<URL>{_URL})|(?P<AMOUNT>{_AMOUNT})"
    rf"|(?P<PHONE>{_PHONE})|(?P<DOMAIN>{_DOMAIN})",
    re.IGNORECASE,
)

_MIN_PHONE_DIGITS = 9
_MAX_PHONE_DIGITS = 15


def is_phone(text: str) -> bool:
    """True when a PHONE match has as many digits as a real number (9 to 15)."""
    digits = sum(ch.isdigit() for ch in text)
    return _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS


def phone_key(text: str) -> str:
    """The last nine digits: the same number written +44 20 ... or 020 ... compares equal."""
    return "".join(ch for ch in text if ch.isdigit())[-_MIN_PHONE_DIGITS:]


def link_host(url: str) -> str:
    """The lower-case host of a URL or `www.` link, without port or credentials."""
    rest = url.split("://", 1)[-1]
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    return host.split(":", 1)[0].lower()


@lru_cache(maxsize=256)
def _alternation(literals: tuple[str, ...], ignore_case: bool) -> re.Pattern[str] | None:
    if not literals:
        return None
    # Longest first: an alternation takes the first alternative that matches, not the longest.
    ordered = sorted(set(literals), key=lambda s: (-len(s), s))
    body = "|".join(re.escape(s) for s in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE if ignore_case else 0)


def literal_alternation(
    literals: Iterable[str], *, ignore_case: bool = False
) -> re.Pattern[str] | None:
    """One whole-word pattern for many literal strings (compiled once per set); None if empty."""
    return _alternation(tuple(s for s in literals if s.strip()), ignore_case)
