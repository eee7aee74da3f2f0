"""Every client name of the CRM mirror in one Aho-Corasick automaton, for the leak check.

The gate asks which CRM names a draft contains. Testing each of 100,000 names against each
draft grows with the CRM; an Aho-Corasick automaton finds every name a text holds in one
pass over the text, whatever the number of names. A process builds it from the mirror on
first use (never at start) and keeps it at the mirror's version: before each check it asks
Postgres for the newest version (one index lookup) and adds only the rows written since,
so a contact mirrored a second ago (a webhook, a live lookup) is known to the next check.

A renamed record keeps its old name in the automaton too: a former name is still a name
that must not leak, and the candidates are re-checked as whole words by the gate anyway.
A deleted record (deleted, merged away or erased in HubSpot: `db.crm_deletions`) leaves
it: its names and address go, and a single word goes once no held person has it any more.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

import ahocorasick
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


def _words(name: str) -> dict[str, str]:
    """A person's single words worth holding, lower case, each with its spelling."""
    return {word.lower(): word for word in name.split() if len(word) >= _PART_MIN}


class CrmNames:
    """The automaton of the mirror's names and the set of its addresses, kept current."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._emails: set[str] = set()
        self._parts: dict[str, int] = {}  # each single word held, by how many names hold it
        self._version = 0
        # Adding words turns the automaton back into a trie until it is made again: reads
        # and refreshes take turns.
        self._lock = threading.Lock()

    @property
    def version(self) -> int:
        """The mirror version the automaton holds every name of."""
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
            if len(self._automaton):
                self._automaton.make_automaton()
            self._version = newest

    def _add(self, row: MirrorName) -> None:
        hit = NameHit(row.kind, row.name, row.key, row.company_id, row.record_id)
        word = row.name.lower()
        held: tuple[NameHit, ...] = self._automaton.get(word, ())
        # One entry per record and name: a refreshed row replaces its earlier entry.
        kept = tuple(h for h in held if (h.kind, h.key) != (hit.kind, hit.key))
        self._automaton.add_word(word, (*kept, hit))
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
                self._automaton.add_word(lowered, (*self._automaton.get(lowered, ()), part))

    def _remove(self, deleted: list[Deleted]) -> None:
        """Take deleted people and companies out: names, addresses, words no one else has.

        No index from a record to its words is kept (it would cost as much memory as the
        names); one pass over the automaton finds the deleted records' entries, once per
        refresh that brings deletions (rare next to reads).
        """
        gone = {(_KIND[d.object_type], d.id) for d in deleted if d.object_type in _KIND}
        if not gone:
            return  # deals name no one

        def doomed(hit: NameHit) -> bool:
            return (hit.kind, hit.record_id) in gone

        entries = [(w, hits) for w, hits in self._automaton.items() if any(map(doomed, hits))]
        for word, hits in entries:
            for hit in filter(doomed, hits):
                if hit.kind == "person":
                    self._emails.discard(hit.key)
                    for lowered in _words(hit.name):
                        self._forget_part(lowered)
            self._drop(word, doomed)

    def _forget_part(self, lowered: str) -> None:
        count = self._parts.pop(lowered, 0) - 1
        if count > 0:
            self._parts[lowered] = count
        else:
            self._drop(lowered, lambda hit: hit.kind == "part")

    def _drop(self, word: str, matches: Callable[[NameHit], bool]) -> None:
        """Take the hits `matches` picks out of `word`'s entry (the word goes when empty)."""
        held: tuple[NameHit, ...] = self._automaton.get(word, ())
        kept = tuple(hit for hit in held if not matches(hit))
        if kept:
            self._automaton.add_word(word, kept)
        elif held:
            self._automaton.remove_word(word)

    def knows(self, email: str) -> bool:
        """Whether a mirrored contact has this address."""
        return email.lower() in self._emails

    def found_in(self, text: str) -> list[NameHit]:
        """Every CRM name that occurs in `text` (case-insensitive, as substrings)."""
        lowered = text.lower()
        with self._lock:
            if self._automaton.kind != ahocorasick.AHOCORASICK:
                return []
            hits = [hit for _end, held in self._automaton.iter(lowered) for hit in held]
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
