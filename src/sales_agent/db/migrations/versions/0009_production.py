"""Production: failed runs kept until handled; an audit log whose personal data can be erased.

`runs.retried_by` / `handled_at`: `sales-agent runs failed` lists the failed runs nobody has
handled yet, and a retry marks them handled. `api_keys.expires_at`: an optional expiry.

The audit log's hash no longer covers the contact's address. Each address gets a random
pseudonym in `audit_subjects`; a row's hash covers that pseudonym (`subject_ref`), and the
address itself stays in `contact_email`, outside the hash, for queries. Erasing a person
deletes their `audit_subjects` row and sets `contact_email` to NULL on their rows (the one
UPDATE the append-only trigger allows), so the chain still verifies and the pseudonym left
behind points at nobody. An erased address stays suppressed by a keyed hash (suppression
kind `erased`, `erased_address_hash`). Upgrading checks the old chain, then re-hashes every
row with the new formula (refusing a broken chain, which a re-hash would launder);
downgrading does the reverse (erased rows then hash with an empty address).

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-05
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

RUNS_UP = """
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
ALTER TABLE runs ADD COLUMN retried_by uuid, ADD COLUMN handled_at timestamptz;
CREATE INDEX runs_unhandled_idx ON runs (created_at) WHERE status = 'error' AND handled_at IS NULL;
"""
RUNS_DOWN = """
DROP INDEX runs_unhandled_idx;
ALTER TABLE runs DROP COLUMN retried_by, DROP COLUMN handled_at;
ALTER TABLE api_keys DROP COLUMN expires_at;
"""

_VERIFY = """
DO $$
DECLARE
    r record;
    prev text := 'genesis';
BEGIN
    FOR r IN SELECT a.id, a.prev_hash, a.hash, audit_log_row_hash(a, a.prev_hash) AS recomputed
             FROM audit_log AS a ORDER BY a.id LOOP
        IF r.hash <> r.recomputed OR r.prev_hash <> prev THEN
            RAISE EXCEPTION 'audit_log row % does not match its hash chain; %', r.id,
                'run sales-agent audit verify and investigate before migrating (this '
                'migration re-hashes the log and will not launder a broken chain)';
        END IF;
        prev := r.hash;
    END LOOP;
END $$;
"""
_RECHAIN = """
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
DO $$
DECLARE
    r audit_log;
    prev text := 'genesis';
BEGIN
    FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
        UPDATE audit_log SET prev_hash = prev, hash = audit_log_row_hash(r, prev)
        WHERE id = r.id RETURNING hash INTO prev;
    END LOOP;
END $$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
"""

# As 0001 defined them (a downgrade restores them verbatim).
_V1_FUNCTIONS = """
CREATE OR REPLACE FUNCTION audit_log_row_hash(entry audit_log, prev_hash text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws('|',
        prev_hash, entry.id::text,
        to_char(entry.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        entry.actor, entry.action,
        coalesce(entry.thread_id, ''), coalesce(entry.draft_id::text, ''),
        coalesce(entry.contact_email, ''), coalesce(entry.company_id, ''), entry.reason,
        entry.metadata::text), 'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""

_V2_FUNCTIONS = """
-- The address is no longer hashed: its pseudonym is, so erasing the address keeps the chain.
CREATE OR REPLACE FUNCTION audit_log_row_hash(entry audit_log, prev_hash text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws('|',
        prev_hash, entry.id::text,
        to_char(entry.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        entry.actor, entry.action,
        coalesce(entry.thread_id, ''), coalesce(entry.draft_id::text, ''),
        coalesce(entry.subject_ref::text, ''), coalesce(entry.company_id, ''), entry.reason,
        entry.metadata::text), 'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
    -- The id is drawn again under the lock, so ids follow the chain's order even when two
    -- writers race (the default drawn before the trigger may come out of order).
    NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
    -- The address's pseudonym, created on its first event (under the same lock).
    IF NEW.contact_email IS NOT NULL THEN
        INSERT INTO audit_subjects (email) VALUES (NEW.contact_email) ON CONFLICT DO NOTHING;
        SELECT ref INTO NEW.subject_ref FROM audit_subjects WHERE email = NEW.contact_email;
    END IF;
    SELECT hash INTO NEW.prev_hash FROM audit_log ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(NEW.prev_hash, 'genesis');
    NEW.hash := audit_log_row_hash(NEW, NEW.prev_hash);
    RETURN NEW;
END $$;

-- Append-only, but for one change: erasing a person's address (nothing else on the row).
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.contact_email IS NULL
       AND to_jsonb(NEW) - 'contact_email' = to_jsonb(OLD) - 'contact_email' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""

AUDIT_UP = f"""
{_VERIFY}
CREATE TABLE audit_subjects (
    ref uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE audit_log ADD COLUMN subject_ref uuid;
INSERT INTO audit_subjects (email)
    SELECT DISTINCT contact_email FROM audit_log WHERE contact_email IS NOT NULL;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
UPDATE audit_log AS a SET subject_ref = s.ref FROM audit_subjects AS s
    WHERE s.email = a.contact_email;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
{_V2_FUNCTIONS}
{_RECHAIN}
CREATE INDEX audit_log_subject_idx ON audit_log (subject_ref, id);
"""

AUDIT_DOWN = f"""
{_VERIFY}
DROP INDEX audit_log_subject_idx;
{_V1_FUNCTIONS}
{_RECHAIN}
ALTER TABLE audit_log DROP COLUMN subject_ref;
DROP TABLE audit_subjects;
"""


# An erased address stays suppressed as a keyed hash: the key is random per installation and
# lives in the database (a backup restores it with the hashes it keys, so a restore never
# lifts an erased person's suppression).
ERASED_UP = """
CREATE TABLE privacy_keys (
    name text PRIMARY KEY,
    key bytea NOT NULL
);
INSERT INTO privacy_keys (name, key) VALUES ('erasure', decode(
    replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
CREATE FUNCTION erased_address_hash(address text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(key || convert_to(lower(address), 'UTF8')), 'hex')
    FROM privacy_keys WHERE name = 'erasure'
$$;
ALTER TABLE suppressions DROP CONSTRAINT suppressions_kind_check;
ALTER TABLE suppressions ADD CONSTRAINT suppressions_kind_check
    CHECK (kind IN ('email', 'domain', 'erased'));
"""
ERASED_DOWN = """
DELETE FROM suppressions WHERE kind = 'erased';
ALTER TABLE suppressions DROP CONSTRAINT suppressions_kind_check;
ALTER TABLE suppressions ADD CONSTRAINT suppressions_kind_check
    CHECK (kind IN ('email', 'domain'));
DROP FUNCTION erased_address_hash(text);
DROP TABLE privacy_keys;
"""


def upgrade() -> None:
    op.execute(RUNS_UP)
    op.execute(AUDIT_UP)
    op.execute(ERASED_UP)


def downgrade() -> None:
    op.execute(ERASED_DOWN)
    op.execute(AUDIT_DOWN)
    op.execute(RUNS_DOWN)
