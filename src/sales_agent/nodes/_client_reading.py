"""A client's reply is client work: what a CRM customer asks is for their account owner.

The reader reads the words; the CRM knows who wrote them. A customer asking for a call, a
document, a price or an answer, or saying "no" or "not now" to our outreach, is talking about
the work they already buy (or was written to by mistake): no pitch, a task for the owner. A
customer who opts out, complains, is away, bounces, has left, introduces a colleague or asks
about other clients is read as anyone else would be.
"""

from __future__ import annotations

from sales_agent.domain import ResolvedIdentity, ThreadContext

__all__ = ["PROSPECT_INTENTS", "read_as_client"]

PROSPECT_INTENTS = frozenset(
    {
        "new_lead",
        "meeting_request",
        "pricing_question",
        "asset_request",
        "question",
        "objection",
        "timing",
        "not_interested",
    }
)
"""Readings that treat the writer as a prospect, which a customer is not."""


def read_as_client(context: ThreadContext, identity: ResolvedIdentity | None) -> ThreadContext:
    """`context` with a prospect's intent read as `existing_customer` when a customer wrote."""
    if identity is None or not identity.customer or context.intent not in PROSPECT_INTENTS:
        return context
    return context.model_copy(update={"intent": "existing_customer"})
