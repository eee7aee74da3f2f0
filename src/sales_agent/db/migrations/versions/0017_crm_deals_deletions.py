"""CRM deals and deletions: deals mirrored with their links; deleted records leave the mirror.

Deals are mirrored like contacts and companies (the same walk, poll and cursors), each with
the contacts and companies it is associated with, so identity resolution finds a lead's
open deal by index instead of two to four HubSpot calls per lead.

A deleted record's mirror row is removed; a tombstone (object type, id, when HubSpot deleted
it, and a mirror version) stays, holding no personal data, so that:
- every process's name automaton learns, from the versions written since the one it holds,
  which records to drop (the row itself is gone);
- a poll page read before the deletion and committed after it does not bring the record
  back (an upsert older than the deletion is skipped); a restored record, modified after
  its deletion, comes back.
The archived-records sweep (`archived=true` on the list endpoints) keeps its own cursor.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

UP = """
CREATE TABLE crm_deals (
    id text PRIMARY KEY,
    name text,
    stage text,
    amount double precision,
    close_date timestamptz,
    pipeline text,
    owner_id text,
    contact_ids text[] NOT NULL DEFAULT '{}',
    company_ids text[] NOT NULL DEFAULT '{}',
    hs_lastmodifieddate timestamptz,
    version bigint NOT NULL DEFAULT nextval('crm_mirror_version'),
    synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crm_deals_contacts_idx ON crm_deals USING gin (contact_ids);
CREATE INDEX crm_deals_companies_idx ON crm_deals USING gin (company_ids);
ALTER TABLE crm_sync_cursors DROP CONSTRAINT crm_sync_cursors_object_type_check;
ALTER TABLE crm_sync_cursors ADD CONSTRAINT crm_sync_cursors_object_type_check
    CHECK (object_type IN ('contacts', 'companies', 'deals'));
CREATE TABLE crm_deletions (
    object_type text NOT NULL CHECK (object_type IN ('contacts', 'companies', 'deals')),
    id text NOT NULL,
    deleted_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT nextval('crm_mirror_version'),
    PRIMARY KEY (object_type, id)
);
CREATE INDEX crm_deletions_version_idx ON crm_deletions (version);
ALTER TABLE crm_sync_cursors
    ADD COLUMN archived_after text,
    ADD COLUMN archived_done_at timestamptz;
"""

DOWN = """
ALTER TABLE crm_sync_cursors DROP COLUMN archived_done_at, DROP COLUMN archived_after;
DROP TABLE crm_deletions;
DELETE FROM crm_sync_cursors WHERE object_type = 'deals';
ALTER TABLE crm_sync_cursors DROP CONSTRAINT crm_sync_cursors_object_type_check;
ALTER TABLE crm_sync_cursors ADD CONSTRAINT crm_sync_cursors_object_type_check
    CHECK (object_type IN ('contacts', 'companies'));
DROP TABLE crm_deals;
"""


def upgrade() -> None:
    op.execute(UP)


def downgrade() -> None:
    op.execute(DOWN)
