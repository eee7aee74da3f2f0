"""CRM deletions: what HubSpot deleted, merged away or erased leaves the mirror, known to all.

A deleted record's mirror row is removed; a tombstone (object type, id, when HubSpot deleted
it, and a mirror version) stays, holding no personal data, so that:
- every process's name automaton learns, from the versions written since the one it holds,
  which records to drop (the row itself is gone);
- a poll page read before the deletion and committed after it does not bring the record
  back (an upsert older than the deletion is skipped); a restored record, modified after
  its deletion, comes back.
The archived-records sweep (`archived=true` on the list endpoints) keeps its own cursor.

Revision ID: 0017
Revises: 0014 (re-chained at merge)
Create Date: 2026-12-05
"""

from alembic import op

revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None

UP = """
CREATE TABLE crm_deletions (
    object_type text NOT NULL CHECK (object_type IN ('contacts', 'companies')),
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
"""


def upgrade() -> None:
    op.execute(UP)


def downgrade() -> None:
    op.execute(DOWN)
