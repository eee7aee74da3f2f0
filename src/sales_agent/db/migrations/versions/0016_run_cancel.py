"""A cancel request on a run: recorded on its row, observed by whoever executes the run.

`runs.cancel_action` is `interrupt` or `rollback` once a client asked to cancel the run
(`POST /threads/{id}/runs/{run_id}/cancel`); the worker or server process executing it
reads it at the graph's next step boundary and stops there. A queued run with a cancel
request never starts.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

UP = """
ALTER TABLE runs ADD COLUMN cancel_action text
    CHECK (cancel_action IN ('interrupt', 'rollback'))
"""
DOWN = "ALTER TABLE runs DROP COLUMN cancel_action"


def upgrade() -> None:
    """Add the cancel request column."""
    op.execute(UP)


def downgrade() -> None:
    """Drop it."""
    op.execute(DOWN)
