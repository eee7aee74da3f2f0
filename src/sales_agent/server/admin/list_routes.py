"""Admin: guardrail rules (CRUD) and the suppression list (add, check, list, remove)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from sales_agent.policy.guardrails import (
    GuardrailRule,
    add_rule,
    list_rules,
    remove_rule,
    update_rule,
)
from sales_agent.policy.suppression import (
    Suppression,
    SuppressionReason,
    is_suppressed,
    kind_of,
    list_suppressions,
    suppress,
    unsuppress,
)
from sales_agent.server.admin.deps import (
    Actor,
    Audited,
    ConnDep,
    ReasonQuery,
    nothing_to_change,
    policy_errors,
)
from sales_agent.server.errors import ApiError

__all__ = ["router"]

router = APIRouter()


class RuleCreate(Audited):
    """POST /api/admin/guardrails: a rule; its value is checked for its type."""

    rule_type: str = Field(description="e.g. ALLOWED_COMPANY_STAGE.")
    value: Any = Field(description='e.g. ["Series A", "Series B"] or {"min": 50, "max": 1000}.')
    description: str = ""
    active: bool = True


class RuleUpdate(Audited):
    """PATCH /api/admin/guardrails/{id}: what to change (None keeps it)."""

    value: Any = None
    active: bool | None = None
    description: str | None = None


class SuppressionCreate(BaseModel):
    """POST /api/admin/suppression: an address, or a domain for all its addresses."""

    value: str = Field(min_length=1, max_length=320, description="EMAIL or DOMAIN.")
    reason: SuppressionReason
    note: str = Field(default="", max_length=1000, description="Where it came from.")


class SuppressionCheck(BaseModel):
    """Whether an address may be written to, and the entry that stops it."""

    email: str
    suppressed: bool
    entry: Suppression | None


def _existing(conn: ConnDep, rule_id: int) -> None:
    if all(rule.id != rule_id for rule in list_rules(conn)):
        raise ApiError(404, "guardrail_not_found", f"there is no guardrail rule {rule_id}")


@router.get("/guardrails")
def get_guardrails(conn: ConnDep) -> list[GuardrailRule]:
    """Every rule, active or not."""
    return list_rules(conn)


@router.post("/guardrails", status_code=201)
def post_guardrail(body: RuleCreate, conn: ConnDep, actor: Actor) -> GuardrailRule:
    """Add a rule (audited `guardrail_added`)."""
    with policy_errors():
        return add_rule(
            conn,
            rule_type=body.rule_type,
            value=body.value,
            actor=actor,
            reason=body.reason,
            description=body.description,
            active=body.active,
        )


@router.patch("/guardrails/{rule_id}")
def patch_guardrail(rule_id: int, body: RuleUpdate, conn: ConnDep, actor: Actor) -> GuardrailRule:
    """Change a rule's value, active state or description."""
    if body.value is None and body.active is None and body.description is None:
        raise nothing_to_change("value", "active", "description")
    _existing(conn, rule_id)
    with policy_errors():
        return update_rule(
            conn,
            rule_id=rule_id,
            value=body.value,
            active=body.active,
            description=body.description,
            actor=actor,
            reason=body.reason,
        )


@router.delete("/guardrails/{rule_id}")
def delete_guardrail(
    rule_id: int, conn: ConnDep, actor: Actor, reason: ReasonQuery
) -> GuardrailRule:
    """Delete a rule (the audit log keeps what it was); `?reason=` says why."""
    _existing(conn, rule_id)
    with policy_errors():
        return remove_rule(conn, rule_id=rule_id, actor=actor, reason=reason)


@router.get("/suppression")
def get_suppression(conn: ConnDep) -> list[Suppression]:
    """Every entry that has not expired."""
    return list_suppressions(conn)


@router.post("/suppression", status_code=201)
def post_suppression(body: SuppressionCreate, conn: ConnDep, actor: Actor) -> Suppression:
    """Suppress an address or a whole domain for a year (again: renew it)."""
    with policy_errors():
        return suppress(
            conn,
            value=body.value,
            kind=kind_of(body.value),
            reason=body.reason,
            actor=actor,
            source=f"api: {body.note}" if body.note else "api",
        )


@router.get("/suppression/check")
def check_suppression(
    conn: ConnDep, email: str = Query(min_length=1, max_length=320)
) -> SuppressionCheck:
    """Whether `email` is suppressed, by its own entry or its domain's."""
    with policy_errors():
        entry = is_suppressed(conn, email)
    return SuppressionCheck(email=email.strip().lower(), suppressed=entry is not None, entry=entry)


@router.delete("/suppression/{value}")
def delete_suppression(value: str, conn: ConnDep, actor: Actor, reason: ReasonQuery) -> Suppression:
    """Take an address or domain off the list; `?reason=` says why."""
    with policy_errors():
        return unsuppress(conn, value=value, actor=actor, reason=reason)
