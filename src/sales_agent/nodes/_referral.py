"""Whom a referral hands the conversation to, when the referrer did not copy them in.

"Speak to Rachel, rachel@acme.example" or "our ops director Helen Mabbutt looks after this":
a sales operator writes to that colleague next. Inbound text is data, so the rule is narrow:
only an address at the referrer's own domain, or a CRM contact of the referrer's company
named in full, and never from a message with instruction-like passages. The operator still
approves every draft, and the gate allows these addresses only because this reading did.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from sales_agent.domain.crm_records import CrmContact
from sales_agent.nodes.offline.intent_rules import normalise
from sales_agent.policy.pii_patterns import EMAIL

__all__ = ["MAX_REFERRED", "introduced_first_name", "referred_colleagues"]

MAX_REFERRED = 2
"""A handover names one person, sometimes two; more is a list, not an introduction."""

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
# German names keep their umlauts in text but not in addresses: Brüning is bruening@.
_TRANSLITERATED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _spellings(word: str) -> set[str]:
    """How a name in text may be spelled in an address: accents folded or transliterated."""
    return {normalise(word), normalise(word.casefold().translate(_TRANSLITERATED))}


def referred_colleagues(
    text: str,
    *,
    sender: str,
    known: Collection[str],
    colleagues: Sequence[CrmContact] = (),
) -> tuple[str, ...]:
    """Addresses the referral hands over to, lower-cased (at most `MAX_REFERRED`).

    Addresses written in `text` at the sender's own domain come first; failing those, CRM
    `colleagues` (the sender's company's contacts) whose full name the text spells out.
    `known` (the thread's participants and the operator) are never introduced again.
    """
    domain = _domain(sender)
    seen = {address.lower() for address in known} | {sender.lower()}
    written = [
        address
        for address in dict.fromkeys(m.group().lower() for m in EMAIL.finditer(text))
        if _domain(address) == domain and address not in seen
    ]
    if written:
        return tuple(written[:MAX_REFERRED])
    plain = f" {' '.join(m.group() for m in _WORD.finditer(normalise(text)))} "
    named = [
        contact.email.lower()
        for contact in colleagues
        if contact.first_name
        and contact.last_name
        and contact.email.lower() not in seen
        and f" {normalise(f'{contact.first_name} {contact.last_name}')} " in plain
    ]
    return tuple(dict.fromkeys(named))[:MAX_REFERRED]


def introduced_first_name(address: str, text: str) -> str | None:
    """The first name the text gives the owner of `address` ("Tobias" for t.bruening@), if any.

    The address's parts are matched against the text's capitalised words: a part that is the
    first name is taken as written; a part that is the surname gives the word before it.
    """
    local = re.split(r"[._+-]", address.partition("@")[0].lower())
    parts = {part for part in local if len(part) > 1}
    words = [m.group() for m in _WORD.finditer(text)]
    for index, word in enumerate(words):
        matched = _spellings(word) & parts if word[0].isupper() else set()
        if not matched:
            continue
        if local[0] in matched:
            return word
        before = words[index - 1] if index > 0 else ""
        if before[:1].isupper() and len(before) > 1 and not before.isupper():
            return before
    return None
