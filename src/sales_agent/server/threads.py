"""Routes of the thread API's assistants and threads (the langgraph-sdk subset); thin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from sales_agent.server.assistants import (
    ASSISTANTS,
    assistant_graph,
    assistant_schemas,
    assistant_subgraphs,
    require_assistant,
)
from sales_agent.server.schemas import (
    AssistantSearch,
    StateAtCheckpoint,
    ThreadCreate,
    ThreadHistory,
    ThreadPatch,
    ThreadSearch,
    ThreadStateUpdate,
)
from sales_agent.server.thread_service import ThreadService

__all__ = ["ThreadServiceDep", "router"]

router = APIRouter(tags=["threads"])


def _service(request: Request) -> ThreadService:
    service: ThreadService = request.app.state.threads
    return service


ThreadServiceDep = Annotated[ThreadService, Depends(_service)]


@router.post("/assistants/search")
def search_assistants(body: AssistantSearch) -> list[dict[str, Any]]:
    """Assistants, optionally of one graph."""
    found = [a for a in ASSISTANTS if body.graph_id in (None, a["graph_id"])]
    return found[body.offset : body.offset + body.limit]


@router.get("/assistants/{assistant_id}")
def get_assistant(assistant_id: str) -> dict[str, Any]:
    """One assistant by id (or by graph id)."""
    return require_assistant(assistant_id)


@router.get("/assistants/{assistant_id}/graph")
def get_assistant_graph(
    assistant_id: str, service: ThreadServiceDep, xray: bool = False
) -> dict[str, Any]:
    """The assistant's graph: nodes and edges."""
    return assistant_graph(assistant_id, service.graph, xray=xray)


@router.get("/assistants/{assistant_id}/schemas")
def get_assistant_schemas(assistant_id: str, service: ThreadServiceDep) -> dict[str, Any]:
    """JSON schemas of the assistant's input, output, state and context."""
    return assistant_schemas(assistant_id, service.graph)


@router.get("/assistants/{assistant_id}/subgraphs")
def get_assistant_subgraphs(assistant_id: str, service: ThreadServiceDep) -> dict[str, Any]:
    """The schemas of the assistant's subgraphs by namespace (the follow-up graph has none)."""
    return assistant_subgraphs(assistant_id, service.graph)


@router.get("/assistants/{assistant_id}/subgraphs/{namespace}")
def get_assistant_subgraph(
    assistant_id: str, namespace: str, service: ThreadServiceDep
) -> dict[str, Any]:
    """The schemas of one of the assistant's subgraphs."""
    return assistant_subgraphs(assistant_id, service.graph, namespace=namespace)


@router.post("/threads")
def create_thread(body: ThreadCreate, service: ThreadServiceDep) -> dict[str, Any]:
    """Create a thread (any id string; a uuid when none is given)."""
    return service.create_thread(body)


@router.post("/threads/search")
def search_threads(
    body: ThreadSearch, service: ThreadServiceDep, response: Response
) -> list[dict[str, Any]]:
    """Threads by metadata (contains), values, ids and status, newest first.

    `x-pagination-total` says how many match in all.
    """
    total, page = service.search_threads(body)
    response.headers["x-pagination-total"] = str(total)
    return page


@router.get("/threads/{thread_id}")
def get_thread(thread_id: str, service: ThreadServiceDep) -> dict[str, Any]:
    """A thread with its status (`idle`, `busy` or `interrupted`) and values."""
    return service.get_thread(thread_id)


@router.patch("/threads/{thread_id}")
def patch_thread(thread_id: str, body: ThreadPatch, service: ThreadServiceDep) -> dict[str, Any]:
    """Merge metadata into the thread's."""
    return service.patch_thread(thread_id, body)


@router.delete("/threads/{thread_id}", status_code=204)
def delete_thread(thread_id: str, service: ThreadServiceDep) -> Response:
    """Delete the thread and its checkpoints (409 while a run is on it)."""
    service.delete_thread(thread_id)
    return Response(status_code=204)


@router.get("/threads/{thread_id}/state")
def get_thread_state(thread_id: str, service: ThreadServiceDep) -> dict[str, Any]:
    """The thread's latest state: values, next nodes, tasks and pending interrupts."""
    return service.state(thread_id)


@router.get("/threads/{thread_id}/state/{checkpoint_id}")
def get_thread_state_at(
    thread_id: str, checkpoint_id: str, service: ThreadServiceDep
) -> dict[str, Any]:
    """The thread's state at one checkpoint."""
    return service.state(thread_id, checkpoint_id)


@router.post("/threads/{thread_id}/state/checkpoint")
def get_thread_state_at_checkpoint(
    thread_id: str, body: StateAtCheckpoint, service: ThreadServiceDep
) -> dict[str, Any]:
    """The thread's state at the checkpoint the body names (`{"checkpoint": {...}}`)."""
    return service.state(thread_id, body.checkpoint.get("checkpoint_id"))


@router.post("/threads/{thread_id}/state")
def update_thread_state(
    thread_id: str, body: ThreadStateUpdate, service: ThreadServiceDep
) -> dict[str, Any]:
    """Write values into the thread's state (as `as_node`); the new checkpoint."""
    return service.update_state(thread_id, body)


@router.post("/threads/{thread_id}/history")
def get_thread_history(
    thread_id: str, body: ThreadHistory, service: ThreadServiceDep
) -> list[dict[str, Any]]:
    """The thread's past states, newest first."""
    return service.history(thread_id, body)
