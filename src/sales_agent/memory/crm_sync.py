"""Filling and refreshing the CRM mirror: a resumable full sync and a modified-since poll.

Companies, contacts and deals (with the contacts and companies each deal is linked to) go
through the same walk, poll and cursors.

The full sync walks HubSpot's list endpoints (which page by `after` through any number of
records; search stops at 10,000) and commits each page with the cursor of the next one, so
a sync killed at page k starts again at page k + 1. The poll searches for records modified
after the last one it saw, oldest first, and moves its cursor page by page; when a search
reaches HubSpot's 10,000-result limit it starts a new search from the last date it saw.
Webhook events refresh single contacts in between (`refresh_contact`). Deleted records
leave the mirror by webhook or by the sweep of archived records (`crm_deletions`), which
runs after the walk and the poll.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from sales_agent.connectors import HubSpotClient
from sales_agent.connectors.hubspot_models import CrmFilter, CrmPage, CrmSort
from sales_agent.db.crm_mirror import (
    ObjectType,
    SyncCursor,
    read_cursor,
    save_cursor,
    upsert_companies,
    upsert_contacts,
    upsert_deals,
)
from sales_agent.domain.crm_records import CrmCompany, CrmContact, CrmDeal
from sales_agent.errors import ConnectorError
from sales_agent.memory.crm_deletions import sweep_archived

__all__ = [
    "OBJECT_TYPES",
    "PageDone",
    "SyncReport",
    "poll_modified",
    "refresh_contact",
    "sync",
    "walked",
]

logger = logging.getLogger(__name__)

OBJECT_TYPES: tuple[ObjectType, ...] = ("companies", "contacts", "deals")
_PAGE = 100
_SEARCH_LIMIT = 10_000  # HubSpot's search pages no further
# HubSpot's search index trails its writes by a few seconds: the poll looks back this far.
_INDEX_LAG = timedelta(seconds=30)
_MODIFIED = {
    "contacts": "lastmodifieddate",
    "companies": "hs_lastmodifieddate",
    "deals": "hs_lastmodifieddate",
}

PageDone = Callable[[ObjectType, int], None]
"""Told after each committed page: the object type and how many records the page held."""

Record = CrmContact | CrmCompany | CrmDeal


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    pages: int
    records: int
    seconds: float
    removed: int = 0
    """Records taken out of the mirror because HubSpot deleted them."""

    @property
    def per_second(self) -> float:
        """Records mirrored per second."""
        return self.records / self.seconds if self.seconds else 0.0


def _store(conn: Connection[DictRow], object_type: ObjectType, records: list[Record]) -> None:
    if object_type == "contacts":
        upsert_contacts(conn, [r for r in records if isinstance(r, CrmContact)])
    elif object_type == "companies":
        upsert_companies(conn, [r for r in records if isinstance(r, CrmCompany)])
    else:
        upsert_deals(conn, [r for r in records if isinstance(r, CrmDeal)])


def _list_page(hubspot: HubSpotClient, object_type: ObjectType, after: str | None) -> CrmPage[Any]:
    if object_type == "contacts":
        return hubspot.list_contacts(limit=_PAGE, after=after)
    if object_type == "companies":
        return hubspot.list_companies(limit=_PAGE, after=after)
    return hubspot.list_deals(limit=_PAGE, after=after)


def _full(
    pool: ConnectionPool[Connection[DictRow]],
    hubspot: HubSpotClient,
    object_type: ObjectType,
    *,
    restart: bool,
    on_page: PageDone,
) -> tuple[int, int]:
    with pool.connection() as conn:
        cursor = read_cursor(conn, object_type)
    if cursor.full_done_at is not None and not restart:
        return 0, 0
    if restart:
        cursor = SyncCursor(modified_since=cursor.modified_since)
    # Changes made while the walk runs are the poll's: it starts from the walk's start.
    started = cursor.modified_since or datetime.now(UTC)
    pages = records = 0
    while True:
        page = _list_page(hubspot, object_type, cursor.full_after)
        done = page.after is None
        cursor = SyncCursor(
            full_after=page.after,
            full_done_at=datetime.now(UTC) if done else None,
            modified_since=started,
        )
        with pool.connection() as conn, conn.transaction():
            _store(conn, object_type, list(page.results))
            save_cursor(conn, object_type, cursor)
        pages, records = pages + 1, records + len(page.results)
        on_page(object_type, len(page.results))
        if done:
            return pages, records


def _search_page(
    hubspot: HubSpotClient, object_type: ObjectType, since: datetime, after: str | None
) -> CrmPage[Any]:
    stamp = str(int(since.timestamp() * 1000))
    newer = CrmFilter(property=_MODIFIED[object_type], operator="GT", value=stamp)
    order = CrmSort(property=_MODIFIED[object_type])
    if object_type == "contacts":
        return hubspot.search_contacts([newer], sort=order, limit=_PAGE, after=after)
    if object_type == "companies":
        return hubspot.search_companies([newer], sort=order, limit=_PAGE, after=after)
    found = hubspot.search_deals([newer], sort=order, limit=_PAGE, after=after)
    return found.model_copy(update={"results": _with_links(hubspot, found.results)})


def _with_links(hubspot: HubSpotClient, deals: list[CrmDeal]) -> list[CrmDeal]:
    """Each deal read again with its links (a search answer carries no associations)."""
    linked: list[CrmDeal] = []
    for deal in deals:
        try:
            linked.append(hubspot.get_deal(deal.id))
        except ConnectorError as error:
            if error.status != 404:
                raise
            logger.info("hubspot deal %s was deleted before its links were read", deal.id)
    return linked


def poll_modified(
    pool: ConnectionPool[Connection[DictRow]],
    hubspot: HubSpotClient,
    object_type: ObjectType,
    *,
    on_page: PageDone,
) -> tuple[int, int]:
    """Mirror the records HubSpot changed since the last poll; (pages, records)."""
    with pool.connection() as conn:
        cursor = read_cursor(conn, object_type)
    if cursor.full_done_at is None:
        return 0, 0  # the full sync has not finished: it is the one to run
    since = (cursor.modified_since or cursor.full_done_at) - _INDEX_LAG
    pages = records = 0
    after: str | None = None
    while True:
        page = _search_page(hubspot, object_type, since, after)
        newest = max((r.modified_at for r in page.results if r.modified_at), default=None)
        with pool.connection() as conn, conn.transaction():
            _store(conn, object_type, list(page.results))
            if newest is not None:
                moved = SyncCursor(None, cursor.full_done_at, newest)
                save_cursor(conn, object_type, moved)
        pages, records = pages + 1, records + len(page.results)
        on_page(object_type, len(page.results))
        if page.after is None:
            return pages, records
        after = page.after
        if int(after) + _PAGE > _SEARCH_LIMIT and newest is not None:
            since, after = newest, None  # past 10,000 results: a new search from here


_ANALYZE_AFTER = 1000
"""Records written by one sync above which the mirror's tables are analysed at its end."""
_ANALYZE_MIRROR = "ANALYZE crm_companies, crm_contacts, crm_deals"


def walked(conn: Connection[DictRow]) -> bool:
    """Whether a full sync of every object type has finished once (the mirror is usable)."""
    return all(read_cursor(conn, kind).full_done_at is not None for kind in OBJECT_TYPES)


def sync(
    pool: ConnectionPool[Connection[DictRow]],
    hubspot: HubSpotClient,
    *,
    full: bool = False,
    on_page: PageDone = lambda _kind, _count: None,
) -> SyncReport:
    """Bring the mirror up to date: finish (or with `full`, redo) the walk, poll, sweep.

    The sweep of archived records runs at most hourly, and always with `full`.
    """
    started = time.perf_counter()
    pages = records = removed = 0
    for object_type in OBJECT_TYPES:
        walked = _full(pool, hubspot, object_type, restart=full, on_page=on_page)
        polled = poll_modified(pool, hubspot, object_type, on_page=on_page)
        swept = sweep_archived(pool, hubspot, object_type, force=full)
        pages += walked[0] + polled[0] + swept[0]
        records += walked[1] + polled[1]
        removed += swept[1]
    if records >= _ANALYZE_AFTER:
        with pool.connection() as conn:
            # Fresh statistics now rather than at autovacuum's next pass: right after a walk the
            # planner may still believe a table empty and scan it whole (12 ms per identity
            # lookup at 12,100 records in `bench scale`, against under 1 ms with statistics).
            conn.execute(_ANALYZE_MIRROR)
    seconds = time.perf_counter() - started
    return SyncReport(pages=pages, records=records, seconds=seconds, removed=removed)


def refresh_contact(
    pool: ConnectionPool[Connection[DictRow]], hubspot: HubSpotClient, contact_id: str
) -> CrmContact:
    """Read one contact (and its company) from HubSpot into the mirror (a webhook's event)."""
    contact = hubspot.get_contact(contact_id)
    company = hubspot.get_company(contact.company_id) if contact.company_id else None
    with pool.connection() as conn, conn.transaction():
        if company is not None:
            upsert_companies(conn, [company])
        upsert_contacts(conn, [contact])
    return contact
