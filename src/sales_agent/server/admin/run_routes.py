"""Admin: the failed runs nobody has handled yet, and retrying one (as `sales-agent runs`)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from sales_agent.jobs.retry_runs import (
    FailedRun,
    RunNotFoundError,
    RunNotRetryableError,
    list_failed_runs,
    retry_run,
)
from sales_agent.server.admin.deps import Actor, ConnDep
from sales_agent.server.errors import ApiError

__all__ = ["router"]

router = APIRouter()


class RetryBody(BaseModel):
    """POST /api/admin/runs/{id}/retry: why, for the audit log (optional)."""

    reason: str = Field(default="retried from the failed runs", min_length=1, max_length=1000)


class Retried(BaseModel):
    """The failed run and the run that now does its work."""

    run_id: str
    retry_run_id: str


@router.get("/runs")
def get_runs(
    conn: ConnDep,
    status: Literal["error"] = Query(description="Only `error`: failed runs not yet handled."),
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[FailedRun]:
    """Runs that failed for good and were not retried yet, oldest first."""
    del status  # the one status listed here; the parameter keeps the URL self-explaining
    return list_failed_runs(conn, limit=limit)


@router.post("/runs/{run_id}/retry", status_code=202)
def post_retry(run_id: str, conn: ConnDep, actor: Actor, body: RetryBody | None = None) -> Retried:
    """Queue a new run doing the failed run's work (audited `run_retried`)."""
    reason = (body or RetryBody()).reason
    try:
        new_run_id = retry_run(conn, run_id, actor=actor, reason=reason)
    except RunNotFoundError as exc:
        raise ApiError(404, exc.code, exc.message) from None
    except RunNotRetryableError as exc:
        raise ApiError(409, exc.code, exc.message) from None
    return Retried(run_id=run_id, retry_run_id=new_run_id)
