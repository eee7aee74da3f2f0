"""Policy tables: feature flags, guardrail rules, suppression list, send ledger.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE feature_flags (
    name text PRIMARY KEY CHECK (name ~ '^[A-Z][A-Z0-9_]*$'),
    enabled boolean NOT NULL,
    rollout_percent integer NOT NULL DEFAULT 100 CHECK (rollout_percent BETWEEN 0 AND 100),
    description text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT 'system'
);
INSERT INTO feature_flags (name, enabled, rollout_percent, description) VALUES
    ('STORY_PITCH_ENABLED', false, 100, 'Story-pitch campaigns may run.'),
    ('AUTO_SEND_FOLLOWUP', false, 100, 'Approved follow-ups may be sent (SEND_ALLOWED only).'),
    ('LONG_MEMORY_ENABLED', true, 100, 'Runs recall long-term memory.');

CREATE TABLE guardrail_rules (
    id bigserial PRIMARY KEY,
    rule_type text NOT NULL CHECK (rule_type IN
        ('ALLOWED_COMPANY_STAGE', 'ALLOWED_INDUSTRY', 'EMPLOYEE_RANGE', 'EXCLUDED_COMPANY_IDS')),
    value jsonb NOT NULL,
    active boolean NOT NULL DEFAULT true,
    description text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT 'system',
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE suppressions (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('email', 'domain')),
    value text NOT NULL CHECK (value = lower(value)),
    reason text NOT NULL CHECK (reason IN ('OPT_OUT', 'BOUNCED', 'COMPLAINT', 'MANUAL')),
    source text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT 'system',
    renewed_at timestamptz,
    expires_at timestamptz NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX suppressions_expiry_idx ON suppressions (expires_at);

-- One row per reserved send. Quotas are counted from here inside the reserving
-- transaction (under an advisory lock), so concurrent workers can never exceed a limit.
CREATE TABLE send_ledger (
    id bigserial PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE,
    kind text NOT NULL CHECK (kind IN ('followup', 'story')),
    contact_email text NOT NULL CHECK (contact_email = lower(contact_email)),
    thread_id text,
    story_id text,
    execution_id text,
    status text NOT NULL CHECK (status IN ('reserved', 'sent', 'released')),
    reserved_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    released_at timestamptz
);
CREATE INDEX send_ledger_time_idx ON send_ledger (reserved_at) WHERE status <> 'released';
CREATE INDEX send_ledger_contact_idx ON send_ledger (contact_email, reserved_at)
    WHERE status <> 'released';
CREATE INDEX send_ledger_story_idx ON send_ledger (story_id, execution_id)
    WHERE kind = 'story';
"""

DOWNGRADE = """
DROP TABLE send_ledger;
DROP TABLE suppressions;
DROP TABLE guardrail_rules;
DROP TABLE feature_flags;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
