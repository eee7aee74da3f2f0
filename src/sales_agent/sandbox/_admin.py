"""Sandbox-only routes under /_sandbox: health, reset, fault injection and the request log."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from sales_agent.sandbox._audience import add_audience
from sales_agent.sandbox._faults import Fault, FaultPlan
from sales_agent.sandbox._requests import RequestLog
from sales_agent.sandbox.workspace import Workspace

__all__ = ["router"]

router = APIRouter(prefix="/_sandbox")


def _fault_plan(request: Request) -> FaultPlan:
    return cast(FaultPlan, request.app.state.faults)


FaultPlanDep = Annotated[FaultPlan, Depends(_fault_plan)]


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}


@router.post("/reset")
async def reset(request: Request, faults: FaultPlanDep) -> dict[str, str]:
    """Back to the seed (same start date, so the same workspace) and no faults."""
    current = cast(Workspace, request.app.state.workspace)
    request.app.state.workspace = Workspace.from_seed(current.started_at, scale=current.scale)
    faults.clear()
    return {"status": "ok"}


@router.post("/faults", status_code=201)
async def add_fault(fault: Fault, faults: FaultPlanDep) -> dict[str, Any]:
    """Put a fault in force for upcoming requests; answer it as stored."""
    faults.add(fault)
    return fault.model_dump(exclude_none=True)


@router.get("/faults")
async def list_faults(faults: FaultPlanDep) -> dict[str, list[dict[str, Any]]]:
    """The faults in force, each with how many requests it matched and hit."""
    return {"faults": faults.describe()}


@router.delete("/faults")
async def clear_faults(faults: FaultPlanDep) -> dict[str, str]:
    """Remove every fault."""
    faults.clear()
    return {"status": "ok"}


def _request_log(request: Request) -> RequestLog:
    return cast(RequestLog, request.app.state.requests)


RequestLogDep = Annotated[RequestLog, Depends(_request_log)]


@router.get("/requests")
async def list_requests(
    log: RequestLogDep, since: Annotated[int, Query(ge=0)] = 0
) -> dict[str, Any]:
    """API calls served so far: `total`, and each call from number `since` (method, path, query)."""
    return log.describe(since)


@router.delete("/requests")
async def clear_requests(log: RequestLogDep) -> dict[str, str]:
    """Forget the logged calls."""
    log.clear()
    return {"status": "ok"}


class AudienceRequest(BaseModel):
    """How many generated contacts to add for story campaigns."""

    contacts: int = Field(default=300, ge=1, le=5000)


@router.post("/audience", status_code=201)
async def audience(body: AudienceRequest, request: Request) -> dict[str, int]:
    """Add a story audience (contacts, companies, their replies and our Sent mail); once."""
    workspace = cast(Workspace, request.app.state.workspace)
    return add_audience(workspace, body.contacts)
