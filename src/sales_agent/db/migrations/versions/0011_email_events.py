"""Scheduled sends and what happened after a send (email events).

`scheduled_sends`: an approved draft in SEND_ALLOWED waits here for its send window (one
row per send key, the same key the side-effect ledger and the send ledger use); the
worker's job re-checks and sends it at `send_at`. `email_events`: sent, bounced, replied,
unsubscribed, complained, meeting booked, one row per kind and source message
(`event_key`), so a re-read Gmail history records nothing twice. Opens and clicks are not
tracked, by design (docs/EMAIL_EVENTS.md).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE scheduled_sends (
    key text PRIMARY KEY,
    draft_id uuid NOT NULL REFERENCES drafts (id),
    thread_id text NOT NULL,
    contact_email text NOT NULL,
    company text,
    company_id text,
    gmail_draft_id text NOT NULL,
    draft_key text NOT NULL,
    gmail_thread_id text,
    send_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled', 'sent', 'refused', 'failed')),
    job_id bigint,
    sent_message_id text,
    reason text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduled_sends_send_at_idx ON scheduled_sends (send_at);

CREATE TABLE email_events (
    id bigserial PRIMARY KEY,
    event_key text NOT NULL UNIQUE,
    kind text NOT NULL CHECK (kind IN
        ('sent', 'bounced', 'replied', 'unsubscribed', 'complained', 'meeting_booked')),
    occurred_at timestamptz NOT NULL,
    draft_id uuid REFERENCES drafts (id),
    thread_id text,
    contact_email text,
    company_id text,
    gmail_message_id text,
    source text NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_events_draft_idx ON email_events (draft_id, occurred_at);
CREATE INDEX email_events_occurred_idx ON email_events (occurred_at);
CREATE INDEX email_events_company_idx ON email_events (company_id, occurred_at);
"""

DOWNGRADE = """
DROP TABLE email_events;
DROP TABLE scheduled_sends;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
