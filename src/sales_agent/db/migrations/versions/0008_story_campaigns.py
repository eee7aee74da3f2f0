"""Story-pitch campaigns and their pitches (one per story and contact, ever).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE story_campaigns (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    theme text NOT NULL DEFAULT '',
    target_persona text CHECK (target_persona IN ('buyer', 'influencer', 'technical', 'financial')),
    target_industry text,
    key_message text NOT NULL CHECK (length(key_message) > 0),
    cta text NOT NULL CHECK (length(cta) > 0),
    cta_kind text NOT NULL DEFAULT 'reply' CHECK (cta_kind IN ('reply', 'call')),
    asset_ids text[] NOT NULL DEFAULT '{}',
    active boolean NOT NULL DEFAULT true,
    created_by text NOT NULL DEFAULT 'system',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One pitch per story and contact, whatever the execution: the unique key is what makes a
-- rerun unable to pitch anyone twice. A row is also the contact's story touch (targeting
-- reads earlier stories and the 14-day story window from here).
CREATE TABLE story_pitches (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    story_id uuid NOT NULL REFERENCES story_campaigns (id),
    contact_email text NOT NULL CHECK (contact_email = lower(contact_email)),
    execution_id text NOT NULL,
    status text NOT NULL CHECK (status IN
        ('pending_approval', 'approved', 'edited', 'rejected', 'sent', 'blocked')),
    subject text NOT NULL,
    body text NOT NULL,
    rank_score double precision NOT NULL CHECK (rank_score BETWEEN 0 AND 1),
    rank_reason text NOT NULL DEFAULT '',
    gate jsonb NOT NULL DEFAULT '{}'::jsonb,
    gmail_draft_id text,
    crm_note_id text,
    sent_message_id text,
    outcome_reason text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (story_id, contact_email)
);
CREATE INDEX story_pitches_contact_idx ON story_pitches (contact_email, created_at);
CREATE INDEX story_pitches_execution_idx ON story_pitches (execution_id);
"""

DOWNGRADE = """
DROP TABLE story_pitches;
DROP TABLE story_campaigns;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
