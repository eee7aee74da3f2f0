"""Sandbox-only routes under /_sandbox: health, reset and fault injection."""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Request

from sales_agent.sandbox._faults import Fault, FaultPlan
from sales_agent.sandbox.workspace import Workspace

__all__ = ["router"]

router = APIRouter(prefix="/_sandbox")


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}


@router.post("/reset")
async def reset(request: Request) -> dict[str, str]:
    """Back to the seed (same start date, so the same workspace) and no pending faults."""
    current = cast(Workspace, request.app.state.workspace)
    request.app.state.workspace = Workspace.from_seed(current.started_at)
    request.app.state.faults = FaultPlan()
    return {"status": "ok"}


@router.post("/faults", status_code=201)
async def add_fault(request: Request, fault: Fault) -> dict[str, str]:
    """Plan a failure for upcoming requests."""
    cast(FaultPlan, request.app.state.faults).pending.append(fault)
    return {"status": "ok"}
