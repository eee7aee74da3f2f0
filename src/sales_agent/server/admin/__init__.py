"""The admin API under `/api/admin/` (admin keys; operators may read the mode).

Each route calls the same policy function as the matching `sales-agent admin` or `audit`
command, and every change is audited with the key's name as the actor.
"""

from __future__ import annotations

from fastapi import APIRouter

from sales_agent.server.admin import (
    audit_routes,
    connection_routes,
    list_routes,
    quota_routes,
    run_routes,
    settings_routes,
)
from sales_agent.server.auth import ADMIN_PREFIX

__all__ = ["router"]

router = APIRouter(
    prefix=ADMIN_PREFIX.rstrip("/"),
    tags=["admin"],
    responses={401: {"description": "No valid key"}, 403: {"description": "Not an admin key"}},
)
for _module in (
    settings_routes,
    list_routes,
    quota_routes,
    audit_routes,
    run_routes,
    connection_routes,
):
    router.include_router(_module.router)
