"""LongMemoryAgent: earlier correspondence with this lead and what the operator noted.

Searches the Gmail index (filtered to the lead) for what the lead wrote about, and reads
the contact's facts from the operator's memory. Like the thread's own text, all of it is
data for the writer, never instructions. An empty index means no memories, not a failure.
With the `LONG_MEMORY_ENABLED` flag off for the lead (its rollout is per contact), nothing is
recalled and the state's `memory_skipped` says why, so the run shows it drafted without.
"""

from __future__ import annotations

import logging
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.graph.context import FollowupContext, run_context
from sales_agent.graph.state import FollowupState, lead_query
from sales_agent.memory.long_memory import LongMemory
from sales_agent.memory.vector_index import IndexMismatchError
from sales_agent.policy.flags import flag_enabled
from sales_agent.services import ServicesProvider

__all__ = ["LONG_MEMORY_FLAG", "recall_memory"]

logger = logging.getLogger(__name__)

LONG_MEMORY_FLAG = "LONG_MEMORY_ENABLED"


def recall_memory(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """The lead's most relevant earlier messages and the operator's facts about them."""
    identity = state.identity
    assert identity is not None
    svc = services()
    with svc.pool.connection() as conn:
        enabled = flag_enabled(conn, LONG_MEMORY_FLAG, subject=identity.email)
    if not enabled:
        return {
            "memory": [],
            "contact_facts": [],
            "memory_skipped": f"{LONG_MEMORY_FLAG} is off for this lead: no earlier mail or "
            "operator facts were recalled",
        }
    memory = LongMemory(svc, store=runtime.store)
    query = lead_query(state)
    try:
        top_k = run_context(runtime).recall_top_k
        hits = memory.retrieve_context(query, top_k, contact_email=identity.email)
    except IndexMismatchError as exc:
        # A provider switch awaiting `index rebuild` must not stop follow-ups: draft without.
        logger.warning("memory skipped: %s", exc.message)
        hits = []
    facts = [fact.fact for fact in memory.facts_for(identity.email)]
    return {"memory": hits, "contact_facts": facts, "memory_skipped": None}
