"""Story campaigns as the operator manages them: behind the flag, assets checked, audited.

`STORY_PITCH_ENABLED` gates every story surface (commands, routes, the graph): while it is
off, each answers `StoryPitchDisabledError`, which says how to turn it on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.db.stories import get_campaign, insert_campaign, list_campaigns, update_campaign
from sales_agent.domain.story import StoryCampaign, StoryCampaignCreate, StoryCampaignUpdate
from sales_agent.errors import SalesAgentError
from sales_agent.policy.audit import record_event
from sales_agent.policy.flags import flag_enabled

__all__ = [
    "STORY_FLAG",
    "AssetCheck",
    "StoryNotFoundError",
    "StoryPitchDisabledError",
    "archive_campaign",
    "change_campaign",
    "create_campaign",
    "find_campaign",
    "require_story_pitch",
    "story_campaigns",
]

STORY_FLAG = "STORY_PITCH_ENABLED"

AssetCheck = Callable[[Sequence[str]], None]
"""Raises unless every Drive file id is in an allowlisted folder (see `DriveClient.get_file`)."""


class StoryPitchDisabledError(SalesAgentError):
    """Story pitches are off (the flag); the message says how to turn them on."""

    code = "story_pitch_disabled"

    def __init__(self) -> None:
        super().__init__(
            "story-pitch campaigns are turned off: an admin turns them on with `sales-agent "
            f"admin flags set {STORY_FLAG} --enabled --reason R` (or PATCH /api/admin/flags)"
        )


class StoryNotFoundError(SalesAgentError):
    """No campaign has that id."""

    code = "story_not_found"

    def __init__(self, story_id: str) -> None:
        super().__init__(
            f"no story campaign has id {story_id!r}: `sales-agent story list` shows them"
        )


def require_story_pitch(conn: Connection[DictRow]) -> None:
    """Raise `StoryPitchDisabledError` unless the flag is fully on (stories are not per contact)."""
    if not flag_enabled(conn, STORY_FLAG):
        raise StoryPitchDisabledError()


def create_campaign(
    conn: Connection[DictRow], values: StoryCampaignCreate, *, actor: str, check_assets: AssetCheck
) -> StoryCampaign:
    """Store a new active campaign after checking its assets; audited as `story_created`."""
    require_story_pitch(conn)
    check_assets(values.asset_ids)
    with conn.transaction():
        story = insert_campaign(conn, values=values.model_dump(mode="json"), created_by=actor)
        record_event(
            conn,
            actor=actor,
            action="story_created",
            reason=story.name,
            metadata={"story_id": story.id},
        )
    return story


def find_campaign(conn: Connection[DictRow], story_id: str) -> StoryCampaign:
    """The campaign, or `StoryNotFoundError`."""
    require_story_pitch(conn)
    story = get_campaign(conn, story_id)
    if story is None:
        raise StoryNotFoundError(story_id)
    return story


def story_campaigns(
    conn: Connection[DictRow], *, include_archived: bool = False
) -> list[StoryCampaign]:
    """Campaigns, newest first (archived ones only when asked)."""
    require_story_pitch(conn)
    return list_campaigns(conn, include_archived=include_archived)


def change_campaign(
    conn: Connection[DictRow],
    story_id: str,
    changes: StoryCampaignUpdate,
    *,
    actor: str,
    check_assets: AssetCheck,
) -> StoryCampaign:
    """Change the given fields; audited as `story_updated` (or `story_archived`)."""
    require_story_pitch(conn)
    given = changes.model_dump(mode="json", exclude_unset=True)
    if changes.asset_ids is not None:
        check_assets(changes.asset_ids)
    with conn.transaction():
        story = update_campaign(conn, story_id, given)
        if story is None:
            raise StoryNotFoundError(story_id)
        archived = given.get("active") is False
        record_event(
            conn,
            actor=actor,
            action="story_archived" if archived else "story_updated",
            reason=story.name,
            metadata={"story_id": story.id, "fields": sorted(given)},
        )
    return story


def archive_campaign(conn: Connection[DictRow], story_id: str, *, actor: str) -> StoryCampaign:
    """Archive the campaign (no new pitches; existing ones stay)."""
    return change_campaign(
        conn,
        story_id,
        StoryCampaignUpdate(active=False),
        actor=actor,
        check_assets=lambda ids: None,
    )
