"""Admin: the audit log, a page at a time or as a CSV export, with the CLI's filters."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from sales_agent.policy.audit import MAX_PAGE_SIZE, AuditPage, export_csv, query_events
from sales_agent.policy.audit_window import parse_moment
from sales_agent.server.admin.deps import ConnDep, policy_errors

__all__ = ["router"]

router = APIRouter()

# Far past any real log; keeps the row offset inside Postgres's bigint.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class AuditFilters:
    """The filters of `sales-agent audit query` as query parameters."""

    contact: str | None = Query(default=None, max_length=320, description="Contact email.")
    company: str | None = Query(default=None, max_length=100, description="HubSpot company id.")
    draft: str | None = Query(default=None, max_length=64, description="Draft id (UUID).")
    since: str | None = Query(default=None, max_length=40, description="Day or ISO time, from.")
    until: str | None = Query(default=None, max_length=40, description="Day (inclusive) or time.")

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of `query_events` / `export_csv` (dates parsed as the CLI does)."""
        return {
            "contact_email": self.contact,
            "company_id": self.company,
            "draft_id": self.draft,
            "since": None if self.since is None else parse_moment(self.since),
            "until": None if self.until is None else parse_moment(self.until, end_of_day=True),
        }


Filters = Annotated[AuditFilters, Depends()]


@router.get("/audit")
def get_audit(
    conn: ConnDep,
    filters: Filters,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> AuditPage:
    """Events matching every filter given, oldest first, a page at a time."""
    with policy_errors():
        return query_events(conn, **filters.arguments(), page=page, page_size=page_size)


@router.get("/audit/export", response_class=Response)
def export_audit(conn: ConnDep, filters: Filters) -> Response:
    """The matching events as CSV (header row, oldest first, hashes included)."""
    out = io.StringIO()
    with policy_errors():
        export_csv(conn, out, **filters.arguments())
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )
