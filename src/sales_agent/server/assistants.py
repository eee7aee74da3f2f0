"""The assistants the API serves: one per graph, with the id LangGraph derives for it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

from langgraph.pregel import Pregel

from sales_agent.graph.followup import GRAPH_ID
from sales_agent.jobs.followup_runs import FollowupGraph
from sales_agent.server.errors import ApiError

__all__ = [
    "ASSISTANTS",
    "assistant_graph",
    "assistant_schemas",
    "assistant_subgraphs",
    "find_assistant",
    "require_assistant",
]

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


def require_assistant(assistant_id_or_graph: str) -> dict[str, Any]:
    """`find_assistant`, or 404."""
    assistant = find_assistant(assistant_id_or_graph)
    if assistant is None:
        raise ApiError(404, "assistant_not_found", f"no assistant {assistant_id_or_graph}")
    return assistant


def assistant_graph(assistant_id: str, graph: FollowupGraph, *, xray: bool) -> dict[str, Any]:
    """The drawable graph (nodes and edges) of an assistant, as LangGraph serialises it."""
    require_assistant(assistant_id)
    drawn: dict[str, Any] = graph.get_graph(xray=xray).to_json()
    return drawn


def _schemas(graph_id: str, graph: Pregel[Any, Any, Any, Any]) -> dict[str, Any]:
    return {
        "graph_id": graph_id,
        "input_schema": graph.get_input_jsonschema(),
        "output_schema": graph.get_output_jsonschema(),
        "state_schema": graph.get_output_jsonschema(),
        "config_schema": graph.get_config_jsonschema(),
        "context_schema": graph.get_context_jsonschema(),
    }


def assistant_schemas(assistant_id: str, graph: FollowupGraph) -> dict[str, Any]:
    """JSON schemas of an assistant's graph: input, output, state and context."""
    return _schemas(require_assistant(assistant_id)["graph_id"], graph)


def assistant_subgraphs(
    assistant_id: str, graph: FollowupGraph, *, namespace: str | None = None
) -> dict[str, Any]:
    """The schemas of the graph's subgraphs by namespace (`namespace`: only that one)."""
    graph_id = require_assistant(assistant_id)["graph_id"]
    return {
        name: _schemas(graph_id, subgraph)
        for name, subgraph in graph.get_subgraphs(namespace=namespace, recurse=True)
        if isinstance(subgraph, Pregel)  # a remote graph has no local schemas
    }
