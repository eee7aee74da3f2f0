"""Drafts carry their context (summary, plan, assets) and the statuses delivery adds.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_STATUSES_BEFORE = (
    "'pending_approval', 'approved', 'edited', 'ignored', 'rejected', 'blocked', 'superseded'"
)
_STATUSES_AFTER = f"{_STATUSES_BEFORE}, 'sent', 'handled', 'expired'"

UPGRADE = f"""
ALTER TABLE drafts DROP CONSTRAINT drafts_status_check;
ALTER TABLE drafts ADD CONSTRAINT drafts_status_check CHECK (status IN ({_STATUSES_AFTER}));
-- What the operator sees beside the draft: the thread's summary, the plan, the assets.
ALTER TABLE drafts ADD COLUMN context jsonb NOT NULL DEFAULT '{{}}'::jsonb;
ALTER TABLE drafts ADD COLUMN sent_message_id text;
-- Expiry looks for old pending drafts.
CREATE INDEX drafts_pending_idx ON drafts (created_at) WHERE status = 'pending_approval';
"""

DOWNGRADE = f"""
DROP INDEX drafts_pending_idx;
ALTER TABLE drafts DROP COLUMN sent_message_id;
ALTER TABLE drafts DROP COLUMN context;
ALTER TABLE drafts DROP CONSTRAINT drafts_status_check;
ALTER TABLE drafts ADD CONSTRAINT drafts_status_check CHECK (status IN ({_STATUSES_BEFORE}));
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
