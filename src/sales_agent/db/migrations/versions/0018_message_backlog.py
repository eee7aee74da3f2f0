"""The Gmail sync's embedding backlog: messages stored by the sync, not yet embedded.

A full sync stores each fetched message's document (the text to embed and its metadata)
here, in the same transaction as its checkpoint; `memory.embedding_backlog` embeds them into
`memory_messages` a chunk per transaction and deletes them from here. The table holds text
only, so it outlives a switch of embedding provider.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

UP = """
CREATE TABLE memory_message_backlog (
    message_id text PRIMARY KEY,
    content text NOT NULL,
    metadata jsonb NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX memory_message_backlog_queued ON memory_message_backlog (queued_at, message_id)
"""
DOWN = "DROP TABLE memory_message_backlog"


def upgrade() -> None:
    """Create the backlog."""
    op.execute(UP)


def downgrade() -> None:
    """Drop it."""
    op.execute(DOWN)
