"""Connected accounts: the operator's Google and HubSpot credentials, encrypted at rest.

`connected_accounts` holds one row per provider (`google`, `hubspot`): the account's address,
the token encrypted with SALES_AGENT_SECRET_KEY (a Fernet token, never the plaintext), the
granted scopes, when and by whom it was connected. `oauth_requests` holds each consent
request in flight (its `state`, the PKCE verifier encrypted, the redirect URI, who asked and
until when it is valid); the callback takes its row once, so a state works a single time.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UP = """
CREATE TABLE connected_accounts (
    provider text PRIMARY KEY CHECK (provider IN ('google', 'hubspot')),
    account_email text,
    secret_ciphertext text NOT NULL,
    scopes text[] NOT NULL DEFAULT '{}',
    connected_at timestamptz NOT NULL DEFAULT now(),
    connected_by text NOT NULL
);
CREATE TABLE oauth_requests (
    state text PRIMARY KEY,
    provider text NOT NULL,
    verifier_ciphertext text NOT NULL,
    redirect_uri text NOT NULL,
    requested_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX oauth_requests_expiry_idx ON oauth_requests (expires_at);
"""
DOWN = """
DROP TABLE oauth_requests;
DROP TABLE connected_accounts;
"""


def upgrade() -> None:
    """Create the two tables."""
    op.execute(UP)


def downgrade() -> None:
    """Drop them (connected accounts fall back to the environment's tokens)."""
    op.execute(DOWN)
