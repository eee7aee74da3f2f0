"""The CRM mirror's tables (migrations 0013, 0017): upserts, indexed reads, the sync cursors.

Every upsert takes the next `crm_mirror_version`, so a reader can ask for the rows changed
since the version it holds (`names_since`) instead of re-reading the mirror.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.domain.crm_records import CrmCompany, CrmContact, CrmDeal

__all__ = [
    "MirrorName",
    "ObjectType",
    "SyncCursor",
    "company_by_domain",
    "company_by_id",
    "contact_by_email",
    "contacts_of_company",
    "contacts_with_company",
    "deals_of",
    "iter_names_since",
    "mirror_version",
    "names_since",
    "read_cursor",
    "save_cursor",
    "upsert_companies",
    "upsert_contacts",
    "upsert_deals",
]

ObjectType = Literal["contacts", "companies", "deals"]

_UPSERT_CONTACT = """
INSERT INTO crm_contacts (id, email, first_name, last_name, job_title, company_id,
    company_name, lifecycle_stage, lead_status, owner_id, hs_lastmodifieddate)
VALUES (%(id)s, %(email)s, %(first_name)s, %(last_name)s, %(job_title)s, %(company_id)s,
    %(company_name)s, %(lifecycle_stage)s, %(lead_status)s, %(owner_id)s, %(modified_at)s)
ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, first_name = EXCLUDED.first_name,
    last_name = EXCLUDED.last_name, job_title = EXCLUDED.job_title,
    company_id = EXCLUDED.company_id, company_name = EXCLUDED.company_name,
    lifecycle_stage = EXCLUDED.lifecycle_stage, lead_status = EXCLUDED.lead_status,
    owner_id = EXCLUDED.owner_id, hs_lastmodifieddate = EXCLUDED.hs_lastmodifieddate,
    version = nextval('crm_mirror_version'), synced_at = now()
"""
_UPSERT_COMPANY = """
INSERT INTO crm_companies (id, name, domain, industry, employee_count, funding_stage,
    lifecycle_stage, city, country, owner_id, hs_lastmodifieddate)
VALUES (%(id)s, %(name)s, %(domain)s, %(industry)s, %(employee_count)s, %(funding_stage)s,
    %(lifecycle_stage)s, %(city)s, %(country)s, %(owner_id)s, %(modified_at)s)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, domain = EXCLUDED.domain,
    industry = EXCLUDED.industry, employee_count = EXCLUDED.employee_count,
    funding_stage = EXCLUDED.funding_stage, lifecycle_stage = EXCLUDED.lifecycle_stage,
    city = EXCLUDED.city, country = EXCLUDED.country, owner_id = EXCLUDED.owner_id,
    hs_lastmodifieddate = EXCLUDED.hs_lastmodifieddate,
    version = nextval('crm_mirror_version'), synced_at = now()
"""
_UPSERT_DEAL = """
INSERT INTO crm_deals (id, name, stage, amount, close_date, pipeline, owner_id, contact_ids,
    company_ids, hs_lastmodifieddate)
VALUES (%(id)s, %(name)s, %(stage)s, %(amount)s, %(close_date)s, %(pipeline)s, %(owner_id)s,
    %(contact_ids)s, %(company_ids)s, %(modified_at)s)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, stage = EXCLUDED.stage,
    amount = EXCLUDED.amount, close_date = EXCLUDED.close_date, pipeline = EXCLUDED.pipeline,
    owner_id = EXCLUDED.owner_id, contact_ids = EXCLUDED.contact_ids,
    company_ids = EXCLUDED.company_ids, hs_lastmodifieddate = EXCLUDED.hs_lastmodifieddate,
    version = nextval('crm_mirror_version'), synced_at = now()
"""
# By the GIN index on each link array; in id order, as the live association read returns.
_DEALS_OF = """
SELECT id, name, stage, amount, close_date, pipeline, owner_id, contact_ids, company_ids,
    hs_lastmodifieddate AS modified_at
FROM crm_deals WHERE {links} @> ARRAY[%(id)s]::text[] ORDER BY id::numeric
"""
_DEALS_OF_CONTACT = _DEALS_OF.format(links="contact_ids")
_DEALS_OF_COMPANY = _DEALS_OF.format(links="company_ids")
_CONTACT_BY_EMAIL = """
SELECT id, email, first_name, last_name, job_title, company_id, company_name,
    lifecycle_stage, lead_status, owner_id, hs_lastmodifieddate AS modified_at
FROM crm_contacts WHERE lower(email) = lower(%(email)s) ORDER BY id LIMIT 1
"""
_CONTACTS_WITH_COMPANY = """
SELECT id, email, first_name, last_name, job_title, company_id, company_name,
    lifecycle_stage, lead_status, owner_id, hs_lastmodifieddate AS modified_at
FROM crm_contacts WHERE company_id IS NOT NULL AND email LIKE '%%@%%' ORDER BY id
LIMIT %(limit)s
"""
_CONTACTS_OF_COMPANY = """
SELECT id, email, first_name, last_name, job_title, company_id, company_name,
    lifecycle_stage, lead_status, owner_id, hs_lastmodifieddate AS modified_at
FROM crm_contacts WHERE company_id = %(company_id)s AND email LIKE '%%@%%' ORDER BY id
LIMIT %(limit)s
"""
_COMPANY = """
SELECT id, name, domain, industry, employee_count, funding_stage, lifecycle_stage, city,
    country, owner_id, hs_lastmodifieddate AS modified_at
FROM crm_companies
"""
_COMPANY_BY_ID = _COMPANY + "WHERE id = %(id)s"
_COMPANY_BY_DOMAIN = _COMPANY + "WHERE lower(domain) = lower(%(domain)s) ORDER BY id LIMIT 1"
# The newest version: each table's version index answers its max from its last entry.
_VERSION = """
SELECT greatest((SELECT max(version) FROM crm_contacts),
                (SELECT max(version) FROM crm_companies),
                (SELECT max(version) FROM crm_deletions), 0) AS version
"""
_NAMES_SINCE = """
SELECT 'person' AS kind, trim(concat_ws(' ', first_name, last_name)) AS name,
    lower(email) AS key, company_id, id AS record_id, version
FROM crm_contacts WHERE version > %(version)s
UNION ALL
SELECT 'company', name, id, id, id, version FROM crm_companies WHERE version > %(version)s
"""
# A snapshot no newer than the record's deletion (a page read before it, committed after)
# must not bring the record back: undone in the upsert's transaction. Restored ones stay.
_UNDO_TEMPLATE = """
DELETE FROM {table} r USING crm_deletions d
WHERE d.object_type = %(object_type)s AND d.id = r.id AND r.id = ANY(%(ids)s)
  AND d.deleted_at >= r.hs_lastmodifieddate
"""
_UNDO_DELETED: dict[ObjectType, str] = {
    "contacts": _UNDO_TEMPLATE.format(table="crm_contacts"),
    "companies": _UNDO_TEMPLATE.format(table="crm_companies"),
    "deals": _UNDO_TEMPLATE.format(table="crm_deals"),
}
_NAMES_BATCH = 5000
_READ_CURSOR = """
SELECT full_after, full_done_at, modified_since FROM crm_sync_cursors
WHERE object_type = %(object_type)s
"""
_SAVE_CURSOR = """
INSERT INTO crm_sync_cursors (object_type, full_after, full_done_at, modified_since)
VALUES (%(object_type)s, %(full_after)s, %(full_done_at)s, %(modified_since)s)
ON CONFLICT (object_type) DO UPDATE SET full_after = EXCLUDED.full_after,
    full_done_at = EXCLUDED.full_done_at, modified_since = EXCLUDED.modified_since,
    updated_at = now()
"""


class MirrorName(NamedTuple):
    """A name the gate must know: a person's (keyed by email) or a company's (by id)."""

    kind: Literal["person", "company"]
    name: str
    key: str
    company_id: str | None
    record_id: str
    """The HubSpot id of the contact or company (a deletion names it)."""
    version: int


@dataclass(frozen=True)
class SyncCursor:
    """Where a sync of one object type stands.

    `full_after` is the list endpoint's `after` of the next page of an unfinished full sync
    (None before the first page and once it is done); `modified_since` is where the next
    incremental poll starts.
    """

    full_after: str | None = None
    full_done_at: datetime | None = None
    modified_since: datetime | None = None


def _undo_deleted(conn: Connection[DictRow], object_type: ObjectType, ids: list[str]) -> None:
    conn.execute(_UNDO_DELETED[object_type], {"object_type": object_type, "ids": ids})


def upsert_contacts(conn: Connection[DictRow], contacts: Sequence[CrmContact]) -> None:
    """Insert or refresh contacts (by HubSpot id); never one older than its deletion."""
    if contacts:
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(_UPSERT_CONTACT, [c.model_dump() for c in contacts])
            _undo_deleted(conn, "contacts", [c.id for c in contacts])


def upsert_companies(conn: Connection[DictRow], companies: Sequence[CrmCompany]) -> None:
    """Insert or refresh companies (by HubSpot id); never one older than its deletion."""
    if companies:
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(_UPSERT_COMPANY, [c.model_dump() for c in companies])
            _undo_deleted(conn, "companies", [c.id for c in companies])


def upsert_deals(conn: Connection[DictRow], deals: Sequence[CrmDeal]) -> None:
    """Insert or refresh deals with their links (by id); never one older than its deletion."""
    if deals:
        rows = [
            {
                **d.model_dump(),
                "contact_ids": list(d.contact_ids),
                "company_ids": list(d.company_ids),
            }
            for d in deals
        ]
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(_UPSERT_DEAL, rows)
            _undo_deleted(conn, "deals", [d.id for d in deals])


def deals_of(
    conn: Connection[DictRow], *, contact_id: str | None = None, company_id: str | None = None
) -> list[CrmDeal]:
    """The mirrored deals associated with one contact or one company, in id order."""
    if (contact_id is None) == (company_id is None):
        raise ValueError("pass exactly one of contact_id and company_id")
    query = _DEALS_OF_CONTACT if contact_id else _DEALS_OF_COMPANY
    rows = conn.execute(query, {"id": contact_id or company_id}).fetchall()
    return [CrmDeal.model_validate(row) for row in rows]


def contact_by_email(conn: Connection[DictRow], email: str) -> CrmContact | None:
    """The mirrored contact with this address (any case), or None."""
    row = conn.execute(_CONTACT_BY_EMAIL, {"email": email}).fetchone()
    return CrmContact.model_validate({**row, "email": row["email"] or ""}) if row else None


def contacts_with_company(conn: Connection[DictRow], limit: int) -> list[CrmContact]:
    """The first `limit` mirrored contacts (by id) that have an address and a company."""
    rows = conn.execute(_CONTACTS_WITH_COMPANY, {"limit": limit}).fetchall()
    return [CrmContact.model_validate(row) for row in rows]


def contacts_of_company(conn: Connection[DictRow], company_id: str, limit: int) -> list[CrmContact]:
    """The first `limit` mirrored contacts (by id) of one company that have an address."""
    rows = conn.execute(_CONTACTS_OF_COMPANY, {"company_id": company_id, "limit": limit})
    return [CrmContact.model_validate(row) for row in rows.fetchall()]


def company_by_id(conn: Connection[DictRow], company_id: str) -> CrmCompany | None:
    """The mirrored company with this id, or None."""
    row = conn.execute(_COMPANY_BY_ID, {"id": company_id}).fetchone()
    return CrmCompany.model_validate(row) if row else None


def company_by_domain(conn: Connection[DictRow], domain: str) -> CrmCompany | None:
    """The mirrored company with this domain (any case), or None."""
    row = conn.execute(_COMPANY_BY_DOMAIN, {"domain": domain}).fetchone()
    return CrmCompany.model_validate(row) if row else None


def mirror_version(conn: Connection[DictRow]) -> int:
    """The version of the newest write to the mirror (0 when it is empty)."""
    row = conn.execute(_VERSION).fetchone()
    return int(row["version"]) if row else 0


def names_since(conn: Connection[DictRow], version: int) -> list[MirrorName]:
    """Every person's and company's name written after `version` (all of them from 0)."""
    return list(iter_names_since(conn, version))


def iter_names_since(conn: Connection[DictRow], version: int) -> Iterator[MirrorName]:
    """`names_since`, streamed a batch at a time (a whole mirror never sits in memory)."""
    with conn.transaction(), conn.cursor(name="crm_names_since") as cursor:
        cursor.itersize = _NAMES_BATCH
        for row in cursor.execute(_NAMES_SINCE, {"version": version}):
            if row["name"]:
                yield MirrorName(**row)


def read_cursor(conn: Connection[DictRow], object_type: ObjectType) -> SyncCursor:
    """Where the sync of `object_type` stands (a fresh cursor before the first sync)."""
    row = conn.execute(_READ_CURSOR, {"object_type": object_type}).fetchone()
    return SyncCursor(**row) if row else SyncCursor()


def save_cursor(conn: Connection[DictRow], object_type: ObjectType, cursor: SyncCursor) -> None:
    """Record where the sync of `object_type` stands (in the caller's transaction)."""
    conn.execute(
        _SAVE_CURSOR,
        {
            "object_type": object_type,
            "full_after": cursor.full_after,
            "full_done_at": cursor.full_done_at,
            "modified_since": cursor.modified_since,
        },
    )
