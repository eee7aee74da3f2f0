"""Index checkpoints: where an interrupted Gmail sync stopped, so a rerun continues there.

One row per index job while it runs (`gmail:<mailbox>`): how far it got of how many, and the
messages it fetched but did not index (drafts, chats, messages deleted meanwhile), which a
resumed sync must not fetch again. Messages it indexed are known from the index itself. The
row is deleted when the sync completes.

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UP = """
CREATE TABLE index_checkpoints (
    job text PRIMARY KEY,
    done integer NOT NULL DEFAULT 0 CHECK (done >= 0),
    total integer NOT NULL DEFAULT 0 CHECK (total >= 0),
    passed text[] NOT NULL DEFAULT '{}',
    started_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
)
"""
DOWN = "DROP TABLE index_checkpoints"


def upgrade() -> None:
    """Create the checkpoints table."""
    op.execute(UP)


def downgrade() -> None:
    """Drop it."""
    op.execute(DOWN)
