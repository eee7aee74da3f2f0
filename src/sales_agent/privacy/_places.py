"""Where a person's data lives in our database, as one WHERE clause per table.

Export selects with these clauses and erasure deletes with the same ones, so the two can
never disagree about what "everything about this person" is. Tables that hold a person
only by reference (the audit log, the suppression list, the send ledger) are handled apart:
their rows stay, with the address erased or replaced by its keyed hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.db.crm_mirror import contact_by_email
from sales_agent.memory.operator_memory import contact_label
from sales_agent.services import Services

__all__ = ["PLACES", "Place", "Subject", "existing", "subject_for", "subject_threads"]


@dataclass(frozen=True)
class Place:
    """A table that holds a person's rows, and how to find them."""

    table: str
    where: str
    """Over the parameters of `Subject.params` (every value a parameter)."""
    columns: str = "*"
    """What an export shows (the vector tables' embeddings are left out)."""


_MENTIONS = "ILIKE ANY(%(patterns)s)"
PLACES = (
    # Rows that point at drafts go first: erasure deletes in this order.
    Place("email_events", "contact_email = %(email)s OR thread_id = ANY(%(threads)s)"),
    Place("scheduled_sends", "contact_email = %(email)s OR thread_id = ANY(%(threads)s)"),
    Place("drafts", "contact_email = %(email)s OR thread_id = ANY(%(threads)s)"),
    Place(
        "runs",
        f"thread_id = ANY(%(threads)s) OR input::text {_MENTIONS} OR command::text {_MENTIONS}",
    ),
    Place("side_effects", "thread_id = ANY(%(threads)s)"),
    Place("agent_threads", "thread_id = ANY(%(threads)s)"),
    Place("voice_feedback", "thread_id = ANY(%(threads)s)"),
    Place("sequences", "lower(contact_email) = %(email)s OR origin_thread_id = ANY(%(threads)s)"),
    Place("sequence_cadences", "contact_email = %(email)s"),
    Place(
        "memory_messages",
        f"contact_email = %(email)s OR sender {_MENTIONS} OR content {_MENTIONS}"
        f" OR langchain_metadata::text {_MENTIONS}",
        "langchain_id, thread_id, sender, sent_at, direction, contact_email, content",
    ),
    # Mail the sync stored and the embedder has not reached yet: the same text, unembedded.
    Place(
        "memory_message_backlog",
        f"metadata->>'contact_email' = %(email)s OR content {_MENTIONS}"
        f" OR metadata::text {_MENTIONS}",
        "message_id, content, metadata",
    ),
    Place(
        "drive_chunks",
        f"content {_MENTIONS} OR langchain_metadata::text {_MENTIONS}",
        "langchain_id, file_id, file_name, chunk_index, content",
    ),
    # The CRM mirror's copy of the contact (HubSpot's own record is erased in HubSpot).
    Place("crm_contacts", "lower(email) = %(email)s"),
    # The operator's memory (LangGraph's store): the contact's namespace, or a mention.
    Place("store", f"prefix LIKE %(label)s OR value::text {_MENTIONS}", "prefix, key, value"),
)

_TABLES = (
    "SELECT to_regclass(name) IS NOT NULL AS present, name FROM unnest(%(names)s::text[]) AS name"
)
_THREADS = """
SELECT thread_id FROM drafts WHERE contact_email = %(email)s
UNION SELECT thread_id FROM audit_log WHERE contact_email = %(email)s AND thread_id IS NOT NULL
UNION SELECT thread_id FROM runs WHERE input::text ILIKE ANY(%(patterns)s)
UNION SELECT 'gmail:' || (metadata->>'thread_id') FROM memory_message_backlog
    WHERE metadata->>'contact_email' = %(email)s
"""
_MEMORY_THREADS = """
UNION SELECT 'gmail:' || thread_id FROM memory_messages WHERE contact_email = %(email)s
"""


def _like(text: str) -> str:
    """`text` anywhere, with LIKE's wildcards in it taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class Subject:
    """A person, by address and by the names the CRM knows them by."""

    email: str
    names: tuple[str, ...]
    threads: tuple[str, ...] = ()

    def params(self) -> dict[str, Any]:
        """The parameters every `Place.where` uses."""
        return {
            "email": self.email,
            "patterns": [_like(self.email), *(_like(name) for name in self.names)],
            "threads": list(self.threads),
            "label": _like(contact_label(self.email)),
        }


def existing(conn: Connection[DictRow], tables: list[str]) -> set[str]:
    """Which of `tables` exist (the vector tables appear on first indexing)."""
    rows = conn.execute(_TABLES, {"names": tables}).fetchall()
    return {row["name"] for row in rows if row["present"]}


def subject_threads(conn: Connection[DictRow], subject: Subject) -> tuple[str, ...]:
    """The agent's threads about the person: their drafts, events, runs and indexed mail."""
    query = _THREADS
    if existing(conn, ["memory_messages"]):
        query += _MEMORY_THREADS
    rows = conn.execute(query, subject.params()).fetchall()
    return tuple(sorted(row["thread_id"] for row in rows))


def subject_for(services: Services, conn: Connection[DictRow], email: str) -> Subject:
    """The person at `email`: their CRM names and the agent's threads about them."""
    address = email.strip().lower()
    contact = contact_by_email(conn, address)
    full = " ".join(filter(None, (contact.first_name, contact.last_name))) if contact else ""
    names = (full,) if full.strip() else ()
    subject = Subject(email=address, names=names)
    return Subject(email=address, names=names, threads=subject_threads(conn, subject))
