"""Production operations: a failed run stays listed until it is handled (retried).

`runs.retried_by` names the run that retried a failed one; `sales-agent runs failed` and
`GET /api/admin/runs?status=error` list the failed runs nobody has handled yet.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-05
"""

from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE runs ADD COLUMN retried_by uuid, ADD COLUMN handled_at timestamptz;
CREATE INDEX runs_unhandled_idx ON runs (created_at) WHERE status = 'error' AND handled_at IS NULL;
"""

DOWNGRADE = """
DROP INDEX runs_unhandled_idx;
ALTER TABLE runs DROP COLUMN retried_by, DROP COLUMN handled_at;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
