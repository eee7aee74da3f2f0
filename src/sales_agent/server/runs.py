"""Routes of the thread API's runs: background, wait, stream, join, get, list, cancel; thin.

Plain `def` routes (FastAPI runs them in its thread pool) but `stream`, which answers
server-sent events, and `join`, which waits between polls without holding a thread.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from sales_agent.server.assistants import require_assistant
from sales_agent.server.run_service import RunService
from sales_agent.server.schemas import RunCreate
from sales_agent.server.streaming import stream_run
from sales_agent.server.threads import ThreadServiceDep

__all__ = ["router"]

router = APIRouter(tags=["runs"])


def _runs(request: Request) -> RunService:
    service: RunService = request.app.state.runs
    return service


RunServiceDep = Annotated[RunService, Depends(_runs)]
RunStatusFilter = Literal["pending", "running", "success", "error", "interrupted", "cancelled"]


@router.post("/threads/{thread_id}/runs")
def create_run(thread_id: str, body: RunCreate, runs: RunServiceDep) -> dict[str, Any]:
    """Queue a run (input) or a resume (`command.resume`); a worker executes it."""
    assistant = require_assistant(body.assistant_id)
    return runs.create(thread_id, body, assistant["assistant_id"])


@router.post("/threads/{thread_id}/runs/wait")
def wait_run(thread_id: str, body: RunCreate, service: ThreadServiceDep) -> dict[str, Any]:
    """Start a run (input) or resume one (`command.resume`) and wait until it stops."""
    assistant = require_assistant(body.assistant_id)
    return service.wait(thread_id, body, assistant_id=assistant["assistant_id"])


@router.post("/threads/{thread_id}/runs/stream", response_class=StreamingResponse)
async def stream(thread_id: str, body: RunCreate, service: ThreadServiceDep) -> StreamingResponse:
    """Run here and stream it as server-sent events (`metadata`, `values`, `updates`)."""
    assistant = require_assistant(body.assistant_id)
    return await stream_run(service, thread_id, body, assistant["assistant_id"])


@router.get("/threads/{thread_id}/runs")
def list_runs(
    thread_id: str,
    runs: RunServiceDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
    status: RunStatusFilter | None = None,
) -> list[dict[str, Any]]:
    """The thread's runs, newest first."""
    return runs.list(thread_id, limit=limit, offset=offset, status=status)


@router.get("/threads/{thread_id}/runs/{run_id}")
def get_run(thread_id: str, run_id: str, runs: RunServiceDep) -> dict[str, Any]:
    """One run: status, error, attempts."""
    return runs.get(thread_id, run_id)


@router.get("/threads/{thread_id}/runs/{run_id}/join")
async def join_run(thread_id: str, run_id: str, runs: RunServiceDep) -> dict[str, Any]:
    """Wait for the run to finish; the thread's values (with `__interrupt__`, `__error__`)."""
    return await runs.join(thread_id, run_id)


@router.post("/threads/{thread_id}/runs/{run_id}/cancel", status_code=204)
def cancel_run(thread_id: str, run_id: str, runs: RunServiceDep) -> Response:
    """Cancel a run no worker has started yet (409 once it runs)."""
    runs.cancel(thread_id, run_id)
    return Response(status_code=204)
