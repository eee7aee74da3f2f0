"""The spec's paths beside today's routes, so an operator following the spec finds them.

Each alias mounts the admin route's own handler a second time (one implementation):
`GET /api/config/mode` is `GET /api/admin/mode`, `GET /api/quotas/status` is `GET
/api/admin/quotas` (operators and admins may read both), `GET /api/audit` and `GET
/api/audit/export` are the admin audit routes (admins only, `ADMIN_PATHS` in
`server/auth.py`). `GET /api/guardrails/check-contact` (operators and admins) is
`contact_check.check_contact`, as `sales-agent admin guardrails check` runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from sales_agent.contact_check import ContactCheck, ContactNotFoundError, check_contact
from sales_agent.errors import ConnectorError
from sales_agent.server.admin import audit_routes, quota_routes, settings_routes
from sales_agent.server.errors import ApiError

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["spec"])
router.add_api_route("/config/mode", settings_routes.get_mode, methods=["GET"])
router.add_api_route("/quotas/status", quota_routes.get_quotas, methods=["GET"])
router.add_api_route("/audit", audit_routes.get_audit, methods=["GET"])
router.add_api_route(
    "/audit/export", audit_routes.export_audit, methods=["GET"], response_class=Response
)


@contextmanager
def _crm_errors() -> Iterator[None]:
    try:
        yield
    except ContactNotFoundError as exc:
        raise ApiError(404, exc.code, exc.message) from None
    except ConnectorError:
        # The connector's text may name hosts or ids; the server log has it.
        raise ApiError(
            503, "crm_unavailable", "HubSpot could not be read: try again shortly"
        ) from None


@router.get(
    "/guardrails/check-contact",
    responses={
        404: {"description": "No contact has that `contact_id`: `{code, message}`."},
        422: {"description": "Neither or both of `email` and `contact_id`."},
        503: {"description": "HubSpot could not be read."},
    },
)
def check_contact_route(
    request: Request,
    email: Annotated[
        str | None, Query(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", description="Email.")
    ] = None,
    contact_id: Annotated[
        str | None, Query(pattern=r"^[0-9]{1,20}$", description="HubSpot contact id.")
    ] = None,
) -> ContactCheck:
    """The contact's company facts and whether the active guardrail rules allow contacting them."""
    if (email is None) == (contact_id is None):
        raise ApiError(422, "invalid_request", "pass exactly one of `email` and `contact_id`")
    with _crm_errors():
        return check_contact(request.app.state.services, email=email, contact_id=contact_id)
