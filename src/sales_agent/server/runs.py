"""Routes of the thread API's runs: background, wait, stream, join, get, list, cancel; thin.

Plain `def` routes (FastAPI runs them in its thread pool) but `stream` and its rejoin,
which answer server-sent events, and `join` and `cancel`, which wait between polls without
holding a thread.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from sales_agent.jobs.run_rows import CancelAction
from sales_agent.server.assistants import require_assistant
from sales_agent.server.run_service import RunService
from sales_agent.server.schemas import RunCreate
from sales_agent.server.streaming import rejoin_run, run_location, stream_run
from sales_agent.server.threads import ThreadServiceDep
from sales_agent.server.wait_runs import wait_run as wait_here

__all__ = ["router"]

router = APIRouter(tags=["runs"])


def _runs(request: Request) -> RunService:
    service: RunService = request.app.state.runs
    return service


RunServiceDep = Annotated[RunService, Depends(_runs)]
RunStatusFilter = Literal["pending", "running", "success", "error", "interrupted", "cancelled"]


@router.post("/threads/{thread_id}/runs")
def create_run(
    thread_id: str, body: RunCreate, runs: RunServiceDep, response: Response
) -> dict[str, Any]:
    """Queue a run (input) or a resume (`command.resume`); a worker executes it."""
    assistant = require_assistant(body.assistant_id)
    run = runs.create(thread_id, body, assistant["assistant_id"])
    response.headers["Content-Location"] = run_location(thread_id, run["run_id"])
    return run


@router.post("/threads/{thread_id}/runs/wait")
def wait_run(
    thread_id: str, body: RunCreate, service: ThreadServiceDep, response: Response
) -> dict[str, Any]:
    """Start a run (input) or resume one (`command.resume`) and wait until it stops."""
    assistant = require_assistant(body.assistant_id)
    run_id, values = wait_here(service, thread_id, body, assistant_id=assistant["assistant_id"])
    response.headers["Content-Location"] = run_location(thread_id, run_id)
    return values


@router.post("/threads/{thread_id}/runs/stream", response_class=StreamingResponse)
async def stream(thread_id: str, body: RunCreate, service: ThreadServiceDep) -> StreamingResponse:
    """Run here and stream it as server-sent events (every mode the SDK names), to `end`."""
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


@router.get("/threads/{thread_id}/runs/{run_id}/stream", response_class=StreamingResponse)
async def rejoin_stream(
    thread_id: str,
    run_id: str,
    service: ThreadServiceDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Rejoin a run's event stream (after `Last-Event-ID`), to its `end`."""
    return await rejoin_run(service, thread_id, run_id, last_event_id)


@router.post("/threads/{thread_id}/runs/{run_id}/cancel", status_code=204)
async def cancel_run(
    thread_id: str,
    run_id: str,
    runs: RunServiceDep,
    action: CancelAction = "interrupt",
    wait: bool = False,
) -> Response:
    """Cancel a run: a queued one never starts, a running one stops at its next step boundary.

    `action=interrupt` keeps what the run saved (the run is `interrupted`); `rollback`
    deletes the run and the checkpoints it wrote.
    """
    await runs.cancel(thread_id, run_id, action=action, wait=wait)
    return Response(status_code=204)
