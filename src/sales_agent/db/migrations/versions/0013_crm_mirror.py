"""The CRM mirror: the contacts and companies the agent needs, kept in Postgres.

A process no longer reads the whole CRM at start: `sales-agent crm sync` fills these tables
over HubSpot's list endpoints (a page at a time, the cursor committed with the page, so a
killed sync resumes where it stopped), the HubSpot webhooks and a modified-since poll keep
them fresh, and identity resolution and the gate read them by index, per draft.

Every write takes the next value of `crm_mirror_version`: the gate's name automaton holds
the version it was built at, asks for the newest (an index's last entry) and adds only the
rows written since.

Revision ID: 0013
Revises: 0009 (re-chained at merge)
Create Date: 2026-12-05
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE SEQUENCE crm_mirror_version;
CREATE TABLE crm_companies (
    id text PRIMARY KEY,
    name text,
    domain text,
    industry text,
    employee_count integer,
    funding_stage text,
    lifecycle_stage text,
    city text,
    country text,
    owner_id text,
    hs_lastmodifieddate timestamptz,
    version bigint NOT NULL DEFAULT nextval('crm_mirror_version'),
    synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crm_companies_domain_idx ON crm_companies (lower(domain));
CREATE INDEX crm_companies_version_idx ON crm_companies (version);
CREATE TABLE crm_contacts (
    id text PRIMARY KEY,
    email text,
    first_name text,
    last_name text,
    job_title text,
    company_id text,
    company_name text,
    lifecycle_stage text,
    lead_status text,
    owner_id text,
    hs_lastmodifieddate timestamptz,
    version bigint NOT NULL DEFAULT nextval('crm_mirror_version'),
    synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crm_contacts_email_idx ON crm_contacts (lower(email));
CREATE INDEX crm_contacts_company_idx ON crm_contacts (company_id);
CREATE INDEX crm_contacts_version_idx ON crm_contacts (version);
CREATE TABLE crm_sync_cursors (
    object_type text PRIMARY KEY CHECK (object_type IN ('contacts', 'companies')),
    full_after text,
    full_done_at timestamptz,
    modified_since timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);
"""

DOWNGRADE = """
DROP TABLE crm_sync_cursors;
DROP TABLE crm_contacts;
DROP TABLE crm_companies;
DROP SEQUENCE crm_mirror_version;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
