"""Admin: quota status, reset, and limits."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from sales_agent.policy.quotas import (
    QuotaLimits,
    QuotaUsage,
    load_limits,
    quota_status,
    reset_quotas,
    update_limits,
)
from sales_agent.server.admin.deps import (
    Actor,
    Audited,
    ConnDep,
    SettingsDep,
    nothing_to_change,
    policy_errors,
)

__all__ = ["router"]

router = APIRouter()


class QuotaReset(BaseModel):
    """How many ledger rows a reset released."""

    released: int


class LimitsChange(Audited):
    """PUT /api/admin/quotas/limits: the limits to change (the others stay)."""

    model_config = ConfigDict(extra="forbid")

    global_daily: int | None = None
    global_weekly: int | None = None
    contact_7_days: int | None = None
    contact_weekly: int | None = None
    story_daily: int | None = None
    story_contact_14_days: int | None = None
    story_execution: int | None = None


@router.get("/quotas")
def get_quotas(
    conn: ConnDep,
    settings: SettingsDep,
    contact: str | None = Query(default=None, max_length=320),
    execution: str | None = Query(default=None, max_length=200),
) -> list[QuotaUsage]:
    """Each quota: limit, used, remaining, when it frees up; `contact`/`execution` add theirs."""
    with policy_errors():
        return quota_status(
            conn, contact_email=contact, execution_id=execution, timezone=settings.timezone
        )


@router.post("/quotas/reset")
def post_quota_reset(
    body: Audited, conn: ConnDep, settings: SettingsDep, actor: Actor
) -> QuotaReset:
    """Zero every quota (sent rows stay recorded)."""
    with policy_errors():
        released = reset_quotas(conn, actor=actor, reason=body.reason, timezone=settings.timezone)
    return QuotaReset(released=released)


@router.get("/quotas/limits")
def get_quota_limits(conn: ConnDep) -> QuotaLimits:
    """The limits in force."""
    with policy_errors():
        return load_limits(conn)


@router.put("/quotas/limits")
def put_quota_limits(body: LimitsChange, conn: ConnDep, actor: Actor) -> QuotaLimits:
    """Change some limits for every process; values are checked (0 or more)."""
    changes = body.model_dump(exclude={"reason"}, exclude_none=True)
    if not changes:
        raise nothing_to_change(*QuotaLimits.model_fields)
    with policy_errors():
        return update_limits(conn, changes=changes, actor=actor, reason=body.reason)
