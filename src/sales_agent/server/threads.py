"""Routes of the thread API (the langgraph-sdk subset); thin: the work is in ThreadService."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from sales_agent.server.assistants import ASSISTANTS, find_assistant
from sales_agent.server.errors import ApiError
from sales_agent.server.schemas import AssistantSearch, RunCreate, ThreadCreate
from sales_agent.server.thread_service import ThreadService

__all__ = ["router"]

router = APIRouter(tags=["threads"])


def _service(request: Request) -> ThreadService:
    service: ThreadService = request.app.state.threads
    return service


ThreadServiceDep = Annotated[ThreadService, Depends(_service)]


@router.post("/assistants/search")
async def search_assistants(body: AssistantSearch) -> list[dict[str, Any]]:
    """Assistants, optionally of one graph."""
    found = [a for a in ASSISTANTS if body.graph_id in (None, a["graph_id"])]
    return found[body.offset : body.offset + body.limit]


@router.get("/assistants/{assistant_id}")
async def get_assistant(assistant_id: str) -> dict[str, Any]:
    """One assistant by id (or by graph id)."""
    assistant = find_assistant(assistant_id)
    if assistant is None:
        raise ApiError(404, "assistant_not_found", f"no assistant {assistant_id}")
    return assistant


@router.post("/threads")
async def create_thread(body: ThreadCreate, service: ThreadServiceDep) -> dict[str, Any]:
    """Create a thread (any id string; a uuid when none is given)."""
    return service.create_thread(body)


@router.get("/threads/{thread_id}")
async def get_thread(thread_id: str, service: ThreadServiceDep) -> dict[str, Any]:
    """A thread with its status (`idle` or `interrupted`) and values."""
    return service.get_thread(thread_id)


@router.get("/threads/{thread_id}/state")
async def get_thread_state(thread_id: str, service: ThreadServiceDep) -> dict[str, Any]:
    """The thread's latest state: values, next nodes, tasks and pending interrupts."""
    return service.state(thread_id)


@router.post("/threads/{thread_id}/runs/wait")
async def wait_run(thread_id: str, body: RunCreate, service: ThreadServiceDep) -> dict[str, Any]:
    """Start a run (input) or resume one (`command.resume`) and wait until it stops."""
    if find_assistant(body.assistant_id) is None:
        raise ApiError(404, "assistant_not_found", f"no assistant {body.assistant_id}")
    return await service.wait(thread_id, body)
