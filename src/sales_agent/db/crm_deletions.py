"""Deletions in the CRM mirror (migration 0017): rows removed, tombstones kept, sweep cursor.

A tombstone holds no personal data: the object type, the HubSpot id, when HubSpot deleted
the record, and the mirror version of the deletion, from which every process's name
index learns what to drop (`deleted_since`). An upsert of a record snapshot no newer
than its deletion is undone in the same transaction (`upsert_*` in `crm_mirror`), so a poll
page read before a deletion cannot bring the record back; a restored record can.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.db.crm_mirror import ObjectType

__all__ = [
    "ArchivedCursor",
    "Deleted",
    "Deletion",
    "delete_records",
    "deleted_since",
    "read_archived_cursor",
    "save_archived_cursor",
]

_DELETE_ROW = {
    "contacts": "DELETE FROM crm_contacts WHERE id = %(id)s",
    "companies": "DELETE FROM crm_companies WHERE id = %(id)s",
    "deals": "DELETE FROM crm_deals WHERE id = %(id)s",
}
# A later deletion of the same record (deleted, restored, deleted again) takes a new version;
# the same one told again (a redelivery, the next sweep) changes nothing.
_TOMBSTONE = """
INSERT INTO crm_deletions (object_type, id, deleted_at)
VALUES (%(object_type)s, %(id)s, %(deleted_at)s)
ON CONFLICT (object_type, id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at,
    version = nextval('crm_mirror_version')
WHERE crm_deletions.deleted_at < EXCLUDED.deleted_at
"""
# A record mirrored again since (restored) is not deleted, whatever the versions say.
_DELETED_SINCE = """
SELECT d.object_type, d.id FROM crm_deletions d
WHERE d.version > %(version)s
  AND NOT EXISTS (SELECT 1 FROM crm_contacts c WHERE d.object_type = 'contacts' AND c.id = d.id)
  AND NOT EXISTS (SELECT 1 FROM crm_companies c WHERE d.object_type = 'companies' AND c.id = d.id)
ORDER BY d.version
"""
_READ_ARCHIVED = """
SELECT archived_after, archived_done_at FROM crm_sync_cursors
WHERE object_type = %(object_type)s
"""
_SAVE_ARCHIVED = """
INSERT INTO crm_sync_cursors (object_type, archived_after, archived_done_at)
VALUES (%(object_type)s, %(after)s, %(done_at)s)
ON CONFLICT (object_type) DO UPDATE SET archived_after = EXCLUDED.archived_after,
    archived_done_at = EXCLUDED.archived_done_at, updated_at = now()
"""


class Deletion(NamedTuple):
    """A record HubSpot deleted (archived, merged away, or erased), and when."""

    id: str
    deleted_at: datetime


class Deleted(NamedTuple):
    """A record gone from the mirror: its object type and HubSpot id."""

    object_type: ObjectType
    id: str


@dataclass(frozen=True)
class ArchivedCursor:
    """Where the sweep of archived records stands: the next page, and the last finished walk."""

    after: str | None = None
    done_at: datetime | None = None


def delete_records(
    conn: Connection[DictRow], object_type: ObjectType, deletions: Sequence[Deletion]
) -> int:
    """Remove the records from the mirror and keep their tombstones; how many rows went."""
    removed = 0
    with conn.cursor() as cur:
        for deletion in deletions:
            cur.execute(_DELETE_ROW[object_type], {"id": deletion.id})
            removed += cur.rowcount
            cur.execute(_TOMBSTONE, {"object_type": object_type, **deletion._asdict()})
    return removed


def deleted_since(conn: Connection[DictRow], version: int) -> list[Deleted]:
    """The records deleted from the mirror after `version` (and not mirrored again since)."""
    return [Deleted(**row) for row in conn.execute(_DELETED_SINCE, {"version": version})]


def read_archived_cursor(conn: Connection[DictRow], object_type: ObjectType) -> ArchivedCursor:
    """Where the sweep of `object_type`'s archived records stands."""
    row = conn.execute(_READ_ARCHIVED, {"object_type": object_type}).fetchone()
    if row is None:
        return ArchivedCursor()
    return ArchivedCursor(after=row["archived_after"], done_at=row["archived_done_at"])


def save_archived_cursor(
    conn: Connection[DictRow], object_type: ObjectType, cursor: ArchivedCursor
) -> None:
    """Record where the sweep stands (in the caller's transaction)."""
    params = {"object_type": object_type, "after": cursor.after, "done_at": cursor.done_at}
    conn.execute(_SAVE_ARCHIVED, params)
