"""Deleted CRM records leave the mirror: at once from HubSpot's webhooks, and by a sweep.

The modified-since poll cannot see a deletion: a deleted record simply stops matching. The
webhooks (`contact.deletion`, `contact.merge`, `contact.privacyDeletion`) tell at once
(`forget`); as a net for a lost delivery, a sweep walks the list endpoints' archived records
(`archived=true`) page by page, each page committed with the cursor of the next, at most once
an hour (every time with a full sync). An erased (GDPR) record is not even archived: only its
webhook tells of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from sales_agent.connectors import HubSpotClient
from sales_agent.db.crm_deletions import (
    ArchivedCursor,
    Deletion,
    delete_records,
    read_archived_cursor,
    save_archived_cursor,
)
from sales_agent.db.crm_mirror import ObjectType

__all__ = ["SWEEP_EVERY", "forget", "sweep_archived"]

SWEEP_EVERY = timedelta(hours=1)
_PAGE = 100


def forget(
    pool: ConnectionPool[Connection[DictRow]],
    object_type: ObjectType,
    deletions: Sequence[Deletion],
) -> int:
    """Remove deleted records from the mirror (a webhook's events); how many rows went."""
    with pool.connection() as conn, conn.transaction():
        return delete_records(conn, object_type, deletions)


def sweep_archived(
    pool: ConnectionPool[Connection[DictRow]],
    hubspot: HubSpotClient,
    object_type: ObjectType,
    *,
    force: bool = False,
) -> tuple[int, int]:
    """Remove every archived record of `object_type` from the mirror; (pages, rows removed).

    Resumes a sweep left half-way; starts a new one when the last finished more than
    `SWEEP_EVERY` ago, or with `force`.
    """
    with pool.connection() as conn:
        cursor = read_archived_cursor(conn, object_type)
    now = datetime.now(UTC)
    recent = cursor.done_at is not None and now - cursor.done_at < SWEEP_EVERY
    if cursor.after is None and recent and not force:
        return 0, 0
    after, pages, removed = cursor.after, 0, 0
    while True:
        page = hubspot.list_archived(object_type, limit=_PAGE, after=after)
        done = page.after is None
        gone = [Deletion(r.id, r.archived_at or now) for r in page.results]
        moved = ArchivedCursor(after=page.after, done_at=now if done else cursor.done_at)
        with pool.connection() as conn, conn.transaction():
            removed += delete_records(conn, object_type, gone)
            save_archived_cursor(conn, object_type, moved)
        pages += 1
        if done:
            return pages, removed
        after = page.after
