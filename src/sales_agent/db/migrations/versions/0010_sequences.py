"""Sequences: the follow-up touches that nurture a quiet lead after an approved first touch.

`sequences`: one row per lead in nurturing (at most one live, active or paused, per address):
the Gmail thread the touches reply on, how many follow-ups were prepared, when the next is
due, the inbound messages already dealt with (an out of office), and why it stopped.
`sequence_cadences`: per-contact overrides of the cadence (business days between touches)
and of the number of follow-ups.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE sequences (
    id bigserial PRIMARY KEY,
    contact_email text NOT NULL,
    gmail_thread_id text NOT NULL,
    origin_thread_id text NOT NULL UNIQUE,
    status text NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'paused', 'stopped', 'completed')),
    touches_done integer NOT NULL DEFAULT 0 CHECK (touches_done >= 0),
    max_touches integer NOT NULL CHECK (max_touches BETWEEN 0 AND 10),
    cadence_days integer[] NOT NULL,
    pending_touch integer,
    last_touch_at timestamptz NOT NULL,
    next_due_at timestamptz,
    assets_sent text[] NOT NULL DEFAULT '{}',
    handled_message_ids text[] NOT NULL DEFAULT '{}',
    stop_reason text,
    stopped_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sequences_live_contact_idx ON sequences (lower(contact_email))
    WHERE status IN ('active', 'paused');
CREATE INDEX sequences_due_idx ON sequences (next_due_at) WHERE status = 'active';
CREATE INDEX sequences_gmail_thread_idx ON sequences (gmail_thread_id)
    WHERE status IN ('active', 'paused');

CREATE TABLE sequence_cadences (
    contact_email text PRIMARY KEY CHECK (contact_email = lower(contact_email)),
    cadence_days integer[] NOT NULL,
    max_touches integer NOT NULL CHECK (max_touches BETWEEN 0 AND 10),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
);
"""

DOWNGRADE = """
DROP TABLE sequence_cadences;
DROP TABLE sequences;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
