"""The assistants the API serves: one per graph, with the id LangGraph derives for it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

from sales_agent.graph.followup import GRAPH_ID

__all__ = ["ASSISTANTS", "find_assistant"]

# LangGraph's server derives a default assistant's id as uuid5 of this namespace and the
# graph id; using the same rule keeps ids stable across our server and `langgraph dev`.
_NAMESPACE = UUID("6ba7b821-9dad-11d1-80b4-00c04fd430c8")
_CREATED = datetime(2026, 11, 24, tzinfo=UTC).isoformat()


def _assistant(graph_id: str, description: str) -> dict[str, Any]:
    return {
        "assistant_id": str(uuid5(_NAMESPACE, graph_id)),
        "graph_id": graph_id,
        "name": graph_id,
        "description": description,
        "config": {},
        "context": {},
        "metadata": {"created_by": "system"},
        "version": 1,
        "created_at": _CREATED,
        "updated_at": _CREATED,
    }


ASSISTANTS = [
    _assistant(GRAPH_ID, "Lead follow-up: a threaded Gmail draft awaiting approval."),
]


def find_assistant(assistant_id_or_graph: str) -> dict[str, Any] | None:
    """An assistant by id, or the default assistant of a graph by graph id."""
    for assistant in ASSISTANTS:
        if assistant_id_or_graph in (assistant["assistant_id"], assistant["graph_id"]):
            return assistant
    return None
