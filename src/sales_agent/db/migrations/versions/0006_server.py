"""The server's tables: runs, API keys, webhook deliveries, trigger cursors, worker heartbeats.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UPGRADE = """
-- One row per run of a graph on a thread (the thread API's runs; background runs are
-- procrastinate jobs that update their row). `kind` says whether it started or resumed.
CREATE TABLE runs (
    run_id uuid PRIMARY KEY,
    thread_id text NOT NULL,
    assistant_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('start', 'resume', 'system')),
    status text NOT NULL CHECK (status IN
        ('pending', 'running', 'success', 'error', 'interrupted', 'timeout', 'cancelled')),
    input jsonb,
    command jsonb,
    context jsonb NOT NULL DEFAULT '{}'::jsonb,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    error text,
    job_id bigint,
    attempts integer NOT NULL DEFAULT 0,
    trace_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_thread_idx ON runs (thread_id, created_at DESC);
CREATE INDEX runs_active_idx ON runs (status) WHERE status IN ('pending', 'running');

-- API keys: only a hash is stored; the key itself is shown once, at creation.
CREATE TABLE api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('operator', 'admin')),
    prefix text NOT NULL UNIQUE,
    key_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT 'cli',
    last_used_at timestamptz,
    revoked_at timestamptz
);

-- Each webhook delivery once: a redelivered event id is acknowledged and ignored.
CREATE TABLE webhook_events (
    source text NOT NULL CHECK (source IN ('hubspot', 'gmail')),
    event_id text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    run_id uuid,
    PRIMARY KEY (source, event_id)
);

-- Where each trigger source stopped reading (Gmail history id, HubSpot form cursor).
CREATE TABLE trigger_cursors (
    source text PRIMARY KEY,
    cursor text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Workers beat here; /ready wants a recent beat.
CREATE TABLE worker_heartbeats (
    worker_id text PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    beat_at timestamptz NOT NULL DEFAULT now(),
    jobs_done integer NOT NULL DEFAULT 0
);
"""

DOWNGRADE = """
DROP TABLE worker_heartbeats;
DROP TABLE trigger_cursors;
DROP TABLE webhook_events;
DROP TABLE api_keys;
DROP TABLE runs;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
