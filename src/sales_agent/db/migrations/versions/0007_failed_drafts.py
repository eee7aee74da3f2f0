"""Drafts gain the status `failed`: a run that failed for good shows in the operator's inbox.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_STATUSES_BEFORE = (
    "'pending_approval', 'approved', 'edited', 'ignored', 'rejected', 'blocked', 'superseded', "
    "'sent', 'handled', 'expired'"
)
_STATUSES_AFTER = f"{_STATUSES_BEFORE}, 'failed'"

UPGRADE = f"""
ALTER TABLE drafts DROP CONSTRAINT drafts_status_check;
ALTER TABLE drafts ADD CONSTRAINT drafts_status_check CHECK (status IN ({_STATUSES_AFTER}));
"""

DOWNGRADE = f"""
DELETE FROM drafts WHERE status = 'failed';
ALTER TABLE drafts DROP CONSTRAINT drafts_status_check;
ALTER TABLE drafts ADD CONSTRAINT drafts_status_check CHECK (status IN ({_STATUSES_BEFORE}));
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
