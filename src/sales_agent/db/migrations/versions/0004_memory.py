"""Memory bookkeeping: which embedding spec built each vector index, and the sync cursors.

The vector tables themselves (`memory_messages`, `drive_chunks`) are created at run time by
`memory.vector_index`, because their dimension follows the configured embeddings provider;
the downgrade removes them with the rest.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UPGRADE = """
-- pgvector (bundled with the embedded server; a managed Postgres must offer it). Not dropped
-- on downgrade: other schemas (LangGraph's store index) may use it.
CREATE EXTENSION IF NOT EXISTS vector;

-- One row per vector index: the provider, model and dimension its vectors came from.
-- Reading an index with another spec would mix dimensions; the row lets us refuse clearly.
CREATE TABLE embedding_indexes (
    name text PRIMARY KEY,
    provider text NOT NULL,
    model text NOT NULL,
    dimension integer NOT NULL CHECK (dimension > 0),
    built_at timestamptz NOT NULL DEFAULT now()
);

-- Where Gmail indexing stopped: the history id to continue from, per mailbox.
CREATE TABLE gmail_sync_cursors (
    mailbox text PRIMARY KEY CHECK (mailbox = lower(mailbox)),
    history_id text NOT NULL,
    messages_indexed integer NOT NULL DEFAULT 0,
    synced_at timestamptz NOT NULL DEFAULT now()
);

-- One row per indexed Drive file: a file whose modifiedTime is unchanged is not re-embedded.
CREATE TABLE drive_index_files (
    file_id text PRIMARY KEY,
    name text NOT NULL,
    folder text NOT NULL,
    mime_type text NOT NULL,
    asset_type text NOT NULL,
    modified_time text NOT NULL,
    chunks integer NOT NULL CHECK (chunks >= 0),
    indexed_at timestamptz NOT NULL DEFAULT now()
);
"""

DOWNGRADE = """
DROP TABLE IF EXISTS drive_chunks;
DROP TABLE IF EXISTS memory_messages;
DROP TABLE drive_index_files;
DROP TABLE gmail_sync_cursors;
DROP TABLE embedding_indexes;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
