"""LongMemory: past correspondence relevant to a query, plus the operator's stored memories.

`retrieve_context` searches `memory_messages` (filled by `memory.gmail_index`), optionally
narrowed to one contact or company; facts and feedback come from `memory.operator_memory`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from langgraph.store.base import BaseStore
from langgraph.store.postgres import PostgresStore

from sales_agent.domain.memory_hit import PREVIEW_CHARS, MemoryHit
from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.messages import open_message_store
from sales_agent.memory.operator_memory import ContactFact, OperatorFeedback, OperatorMemory
from sales_agent.memory.vector_index import MEMORY_MESSAGES

if TYPE_CHECKING:
    from langchain_postgres import PGVectorStore

__all__ = ["LongMemory", "MemoryHit", "retrieve_context"]

_HAS_ROWS = f"SELECT EXISTS (SELECT 1 FROM {MEMORY_MESSAGES.name}) AS found"


def _filter(contact_email: str | None, company_domain: str | None) -> dict[str, object] | None:
    # Stored lowercase by the indexer; the filter columns have btree indexes of their own.
    conditions: list[dict[str, object]] = []
    if contact_email:
        conditions.append({"contact_email": {"$eq": contact_email.strip().lower()}})
    if company_domain:
        conditions.append({"company_domain": {"$eq": company_domain.strip().lower()}})
    return {"$and": conditions} if conditions else None


def _relevance(distance: float) -> float:
    # Cosine distance runs from 0 to 2; below zero similarity (opposed vectors) is irrelevant.
    return min(1.0, max(0.0, 1.0 - distance))


class LongMemory:
    """Retrieval over the message index and one operator's facts and feedback.

    Cheap to build (no query until first use); a graph node may make one per run.
    """

    def __init__(
        self,
        services: MemoryServices,
        *,
        store: BaseStore | None = None,
        operator_email: str | None = None,
    ) -> None:
        """Memory for `operator_email` (the configured operator by default).

        `store` is the LangGraph store a graph run was given (`runtime.store`); without one,
        the operator's memories live in the PostgresStore on the services' pool.
        """
        self._services = services
        self._vectors: PGVectorStore | None = None
        self.operator = OperatorMemory(
            store if store is not None else PostgresStore(conn=services.pool),
            operator_email or services.settings.operator_email,
        )

    def _store(self) -> PGVectorStore:
        if self._vectors is None:
            self._vectors = open_message_store(self._services)
        return self._vectors

    def is_empty(self) -> bool:
        """True while no message has been indexed (run `sales-agent index gmail`)."""
        self._store()
        with self._services.pool.connection() as conn:
            row = conn.execute(_HAS_ROWS).fetchone()
        return row is None or not row["found"]

    def retrieve_context(
        self,
        query: str,
        top_k: int = 5,
        *,
        contact_email: str | None = None,
        company_domain: str | None = None,
    ) -> list[MemoryHit]:
        """The `top_k` messages closest to `query`, best first, within the given filters."""
        if top_k < 1 or not query.strip():
            return []
        found = self._store().similarity_search_with_score(
            query, k=top_k, filter=_filter(contact_email, company_domain)
        )
        return [
            MemoryHit(
                message_id=str(document.id),
                thread_id=document.metadata["thread_id"],
                sender=document.metadata["sender"] or "",
                timestamp=document.metadata["sent_at"],
                preview=(document.metadata["preview"] or "")[:PREVIEW_CHARS],
                relevance=_relevance(distance),
                direction=document.metadata["direction"],
                contact_email=document.metadata["contact_email"],
            )
            for document, distance in found
        ]

    def remember_fact(self, contact_email: str, fact: str, *, source: str = "") -> ContactFact:
        """Store a fact about a contact for this operator."""
        return self.operator.remember_fact(contact_email, fact, source=source)

    def facts_for(self, contact_email: str) -> list[ContactFact]:
        """The operator's facts about a contact, oldest first."""
        return self.operator.facts_for(contact_email)

    def record_feedback(self, text: str, *, kind: str = "note") -> OperatorFeedback:
        """Store a piece of the operator's feedback."""
        return self.operator.record_feedback(text, kind=kind)

    def feedback(self) -> list[OperatorFeedback]:
        """The operator's feedback, oldest first."""
        return self.operator.feedback()


def retrieve_context(
    services: MemoryServices,
    query: str,
    top_k: int = 5,
    *,
    contact_email: str | None = None,
    company_domain: str | None = None,
) -> list[MemoryHit]:
    """`LongMemory.retrieve_context` for a one-off call (a node, the CLI)."""
    return LongMemory(services).retrieve_context(
        query, top_k, contact_email=contact_email, company_domain=company_domain
    )
