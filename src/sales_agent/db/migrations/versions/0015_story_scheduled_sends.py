"""Story sends wait for their send window too: a scheduled send is a draft's or a story pitch's.

`scheduled_sends.story_id` names the story of a pitch's send (the pitch is the story and the
contact); `draft_id` stays for a follow-up's. Exactly one of the two is set.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UP = """
ALTER TABLE scheduled_sends ALTER COLUMN draft_id DROP NOT NULL;
ALTER TABLE scheduled_sends ADD COLUMN story_id uuid REFERENCES story_campaigns (id);
ALTER TABLE scheduled_sends ADD CONSTRAINT scheduled_sends_one_source
    CHECK ((draft_id IS NULL) <> (story_id IS NULL));
"""
# A story's scheduled sends have no draft row to point at: they go with the column.
DOWN = """
DELETE FROM scheduled_sends WHERE story_id IS NOT NULL;
ALTER TABLE scheduled_sends DROP CONSTRAINT scheduled_sends_one_source;
ALTER TABLE scheduled_sends DROP COLUMN story_id;
ALTER TABLE scheduled_sends ALTER COLUMN draft_id SET NOT NULL;
"""


def upgrade() -> None:
    """Let a scheduled send be a story pitch's."""
    op.execute(UP)


def downgrade() -> None:
    """Back to drafts only."""
    op.execute(DOWN)
