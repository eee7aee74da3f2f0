"""Voice tables: versioned voice profiles per operator, and redacted feedback from edits.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE voice_profiles (
    id bigserial PRIMARY KEY,
    operator_email text NOT NULL CHECK (operator_email = lower(operator_email)),
    version integer NOT NULL CHECK (version >= 1),
    profile jsonb NOT NULL,
    metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT 'system',
    UNIQUE (operator_email, version)
);

-- One row per edited draft: the phrases (word n-grams, redacted) the operator removed and
-- added. A profile refresh counts them and records the version that applied each row.
CREATE TABLE voice_feedback (
    id bigserial PRIMARY KEY,
    operator_email text NOT NULL CHECK (operator_email = lower(operator_email)),
    draft_id text NOT NULL,
    thread_id text NOT NULL,
    removed_phrases text[] NOT NULL DEFAULT '{}',
    added_phrases text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    applied_in_version integer,
    UNIQUE (operator_email, thread_id, draft_id)
);
CREATE INDEX voice_feedback_pending_idx ON voice_feedback (operator_email)
    WHERE applied_in_version IS NULL;
"""

DOWNGRADE = """
DROP TABLE voice_feedback;
DROP TABLE voice_profiles;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
