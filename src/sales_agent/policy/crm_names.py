"""Every client name of the CRM mirror in one word-sequence index, for the leak check.

The gate asks which CRM names a draft contains. Testing each of 100,000 names against each
draft grows with the CRM; this index finds every name a text holds in one pass over the
text's words, whatever the number of names: each name is held as its lower-case words
joined by single spaces, with the word sequences that start a longer name, and a text's
words are looked up from each position for as long as they start a name.

Why not an Aho-Corasick automaton (pyahocorasick, used before): its trie holds one C node
per character of every name, 85 MB at 120,000 names against 27 MB for these dicts, in every
worker (measured on a mirror of 100,000 contacts); and names match as whole words here,
which is what the gate checks anyway. A process builds the index from the mirror on first
use (never at start) and keeps it at the mirror's version: before each check it asks
Postgres for the newest version (one index lookup) and adds only the rows written since,
so a contact mirrored a second ago (a webhook, a live lookup) is known to the next check.

A renamed record keeps its old name in the index too: a former name is still a name
that must not leak, and the candidates are re-checked as whole words by the gate anyway.
A deleted record (deleted, merged away or erased in HubSpot: `db.crm_deletions`) leaves
it: its names and address go, and a single word goes once no held person has it any more.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.db.crm_deletions import Deleted, deleted_since
from sales_agent.db.crm_mirror import MirrorName, iter_names_since, mirror_version

__all__ = ["CrmNames", "NameHit", "NameView"]


class NameHit(NamedTuple):
    """A CRM name found in a text: whose it is (a person's email, a company's id)."""

    kind: Literal["person", "company", "part"]
    name: str
    key: str
    company_id: str | None
    record_id: str = ""
    """The HubSpot id of the contact or company (a deletion names it); empty for a part."""


# A person's single words ("Natarajan") are kept too, for the log redactor, as one shared
# entry per word: a surname many people share costs one entry, not one per person.
_PART_MIN = 2
_REREAD_VERSIONS = 1000
_KIND = {"contacts": "person", "companies": "company"}
_WORD = re.compile(r"\w+")


def _key(text: str) -> str:
    """A name as the index holds it: its lower-case words, one space apart."""
    return " ".join(_WORD.findall(text.lower()))


def _words(name: str) -> dict[str, str]:
    """A person's single words worth holding, lower case, each with its spelling."""
    return {word.lower(): word for word in _WORD.findall(name) if len(word) >= _PART_MIN}


class CrmNames:
    """The index of the mirror's names and the set of its addresses, kept current."""

    def __init__(self) -> None:
        self._names: dict[str, tuple[NameHit, ...]] = {}
        # Word sequences that begin a longer name ("priya" of "priya natarajan"), each with
        # how many names begin with it: a text's words are followed only while they do.
        self._starts: dict[str, int] = {}
        self._emails: set[str] = set()
        self._parts: dict[str, int] = {}  # each single word held, by how many names hold it
        self._version = 0
        self._lock = threading.Lock()  # a refresh and the reads take turns

    @property
    def version(self) -> int:
        """The mirror version the index holds every name of."""
        return self._version

    def refresh(self, conn: Connection[DictRow]) -> None:
        """Add the names written to the mirror since the version held (all, the first time)."""
        newest = mirror_version(conn)
        if newest <= self._version:
            return
        # A writer's transaction may commit after one that took a later version: the
        # window behind the held version is read again (adding a row twice is harmless).
        with self._lock:
            if newest <= self._version:
                return  # another thread added them meanwhile
            since = max(0, self._version - _REREAD_VERSIONS)
            for row in iter_names_since(conn, since):
                self._add(row)
                newest = max(newest, row.version)
            self._remove(deleted_since(conn, since))
            self._version = newest

    def _put(self, key: str, hits: tuple[NameHit, ...]) -> None:
        """Hold `hits` under `key` (a new key also counts as a start of its longer names)."""
        if key not in self._names:
            words = key.split(" ")
            for end in range(1, len(words)):
                start = " ".join(words[:end])
                self._starts[start] = self._starts.get(start, 0) + 1
        self._names[key] = hits

    def _forget(self, key: str) -> None:
        if self._names.pop(key, None) is None:
            return
        words = key.split(" ")
        for end in range(1, len(words)):
            start = " ".join(words[:end])
            if (left := self._starts.get(start, 0) - 1) > 0:
                self._starts[start] = left
            else:
                self._starts.pop(start, None)

    def _add(self, row: MirrorName) -> None:
        hit = NameHit(row.kind, row.name, row.key, row.company_id, row.record_id)
        key = _key(row.name)
        if not key:
            return
        held = self._names.get(key, ())
        # One entry per record and name: a refreshed row replaces its earlier entry.
        kept = tuple(h for h in held if (h.kind, h.key) != (hit.kind, hit.key))
        self._put(key, (*kept, hit))
        if row.kind != "person":
            return
        self._emails.add(row.key)
        if len(kept) < len(held):
            return  # the same name of the same person again (a re-read): counted already
        for lowered, spelled in _words(row.name).items():
            count = self._parts.get(lowered, 0)
            self._parts[lowered] = count + 1
            if not count:
                part = NameHit("part", spelled, "", None)
                self._put(lowered, (*self._names.get(lowered, ()), part))

    def _remove(self, deleted: list[Deleted]) -> None:
        """Take deleted people and companies out: names, addresses, words no one else has.

        No index from a record to its words is kept (it would cost as much memory as the
        names); one pass over the index finds the deleted records' entries, once per
        refresh that brings deletions (rare next to reads).
        """
        gone = {(_KIND[d.object_type], d.id) for d in deleted if d.object_type in _KIND}
        if not gone:
            return  # deals name no one

        def doomed(hit: NameHit) -> bool:
            return (hit.kind, hit.record_id) in gone

        entries = [(k, hits) for k, hits in self._names.items() if any(map(doomed, hits))]
        for key, hits in entries:
            for hit in filter(doomed, hits):
                if hit.kind == "person":
                    self._emails.discard(hit.key)
                    for lowered in _words(hit.name):
                        self._forget_part(lowered)
            self._drop(key, doomed)

    def _forget_part(self, lowered: str) -> None:
        count = self._parts.pop(lowered, 0) - 1
        if count > 0:
            self._parts[lowered] = count
        else:
            self._drop(lowered, lambda hit: hit.kind == "part")

    def _drop(self, key: str, matches: Callable[[NameHit], bool]) -> None:
        """Take the hits `matches` picks out of `key`'s entry (the key goes when empty)."""
        held = self._names.get(key, ())
        kept = tuple(hit for hit in held if not matches(hit))
        if kept:
            self._names[key] = kept
        elif held:
            self._forget(key)

    def knows(self, email: str) -> bool:
        """Whether a mirrored contact has this address."""
        return email.lower() in self._emails

    def found_in(self, text: str) -> list[NameHit]:
        """Every CRM name that occurs in `text` as whole words (case-insensitive)."""
        words = _WORD.findall(text.lower())
        hits: list[NameHit] = []
        with self._lock:
            for first in range(len(words)):
                key, last = words[first], first
                while True:
                    hits.extend(self._names.get(key, ()))
                    last += 1
                    if last == len(words) or key not in self._starts:
                        break
                    key = f"{key} {words[last]}"
        return list(dict.fromkeys(hits))

    def view(
        self,
        *,
        mentionable: frozenset[str] = frozenset(),
        own_company_id: str | None = None,
        own_company_name: str | None = None,
        own_name: str = "",
    ) -> NameView:
        """What the gate may and may not see named, for one draft's recipient."""
        return NameView(self, mentionable, own_company_id, own_company_name, own_name)


@dataclass(frozen=True)
class NameView:
    """The CRM's names as one draft sees them: its own people and company excluded."""

    names: CrmNames
    mentionable: frozenset[str]
    own_company_id: str | None
    own_company_name: str | None
    own_name: str

    def others_in(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(people, companies) named in `text` who are not the recipient's or the thread's."""
        people: dict[str, None] = {}
        companies: dict[str, None] = {}
        for hit in self.names.found_in(text):
            if hit.kind == "person":
                if hit.key not in self.mentionable and hit.name != self.own_name:
                    people[hit.name] = None
            elif hit.kind == "company" and self._not_own(hit):
                companies[hit.name] = None
        return tuple(people), tuple(companies)

    def knows(self, email: str) -> bool:
        """Whether `email` is a CRM contact (so a draft may be addressed to it)."""
        return self.names.knows(email)

    def _not_own(self, company: NameHit) -> bool:
        return company.key != self.own_company_id and company.name != self.own_company_name
