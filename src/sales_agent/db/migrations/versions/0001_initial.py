"""Initial tables: drafts, audit_log (append-only, hash-chained), runtime_settings,
side_effects (idempotency ledger) and agent_threads (the thread API's registry).

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE drafts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    thread_id text NOT NULL,
    revision integer NOT NULL DEFAULT 1,
    status text NOT NULL CHECK (status IN
        ('pending_approval', 'approved', 'edited', 'ignored', 'rejected', 'blocked',
         'superseded')),
    contact_email text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    gmail_thread_id text,
    gmail_draft_id text,
    gate jsonb NOT NULL DEFAULT '{}'::jsonb,
    slots jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (thread_id, revision)
);
CREATE INDEX drafts_status_idx ON drafts (status, created_at DESC);
CREATE INDEX drafts_contact_idx ON drafts (contact_email);

CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    action text NOT NULL,
    thread_id text,
    draft_id uuid,
    contact_email text,
    company_id text,
    reason text NOT NULL DEFAULT '',
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX audit_log_thread_idx ON audit_log (thread_id, id);
CREATE INDEX audit_log_contact_idx ON audit_log (contact_email, id);
CREATE INDEX audit_log_company_idx ON audit_log (company_id, id);
CREATE INDEX audit_log_draft_idx ON audit_log (draft_id, id);
CREATE INDEX audit_log_time_idx ON audit_log (occurred_at);

-- The one definition of a row's hash: the insert trigger and `sales-agent audit verify`
-- both call it, so they can never disagree about the formula. The time is rendered in UTC
-- explicitly: a timestamptz cast to text follows the session's TimeZone setting.
CREATE FUNCTION audit_log_row_hash(entry audit_log, prev_hash text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws('|',
        prev_hash, entry.id::text,
        to_char(entry.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        entry.actor, entry.action,
        coalesce(entry.thread_id, ''), coalesce(entry.draft_id::text, ''),
        coalesce(entry.contact_email, ''), coalesce(entry.company_id, ''), entry.reason,
        entry.metadata::text), 'UTF8')), 'hex')
$$;

-- Each row's hash covers its content and the previous row's hash, so a row changed or
-- removed behind the trigger's back breaks the chain from that row on. The advisory lock
-- serialises inserts so two concurrent writers never chain onto the same parent.
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
    -- The id is drawn again under the lock, so ids follow the chain's order even when two
    -- writers race (the default drawn before the trigger may come out of order).
    NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
    SELECT hash INTO NEW.prev_hash FROM audit_log ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(NEW.prev_hash, 'genesis');
    NEW.hash := audit_log_row_hash(NEW, NEW.prev_hash);
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE runtime_settings (
    key text PRIMARY KEY,
    value jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT 'system'
);
INSERT INTO runtime_settings (key, value) VALUES
    ('mode', '"DRAFT_ONLY"'::jsonb),
    ('kill_switch', 'false'::jsonb);

CREATE TABLE side_effects (
    key text PRIMARY KEY,
    kind text NOT NULL,
    thread_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('started', 'done')),
    result jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX side_effects_thread_idx ON side_effects (thread_id);

CREATE TABLE agent_threads (
    thread_id text PRIMARY KEY,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
"""

DOWNGRADE = """
DROP TABLE agent_threads;
DROP TABLE side_effects;
DROP TABLE runtime_settings;
DROP TRIGGER audit_log_chain ON audit_log;
DROP FUNCTION audit_log_row_hash(audit_log, text);
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP FUNCTION audit_log_chain();
DROP TABLE drafts;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
