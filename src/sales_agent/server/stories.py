"""Routes of the story campaigns (`/api/stories`); thin: the work is in `policy.story_campaigns`.

Operators and admins may use them (the inbox's rules); with `STORY_PITCH_ENABLED` off every
route answers 403 `story_pitch_disabled`, whose message says how to turn it on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from sales_agent.db.stories import list_pitches
from sales_agent.domain.story import (
    BulkDecision,
    StoryCampaign,
    StoryCampaignCreate,
    StoryCampaignUpdate,
)
from sales_agent.errors import SalesAgentError
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.story_runs import is_waiting, resume_story
from sales_agent.policy.story_campaigns import (
    AssetCheck,
    StoryNotFoundError,
    StoryPitchDisabledError,
    change_campaign,
    create_campaign,
    find_campaign,
    story_campaigns,
)
from sales_agent.server.admin.deps import Actor, ConnDep
from sales_agent.server.errors import ApiError
from sales_agent.services import Services

__all__ = ["router"]

router = APIRouter(prefix="/api/stories", tags=["stories"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Story pitches are off (`STORY_PITCH_ENABLED`): `{code, message}`."},
    422: {"description": "An invalid campaign or an asset outside the allowlisted Drive."},
}
_ONE_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    404: {"description": "No such campaign: `{code, message}`."},
}


@contextmanager
def _story_errors() -> Iterator[None]:
    try:
        yield
    except StoryPitchDisabledError as exc:
        raise ApiError(403, exc.code, exc.message) from None
    except StoryNotFoundError as exc:
        raise ApiError(404, exc.code, exc.message) from None
    except SalesAgentError as exc:
        raise ApiError(422, exc.code, exc.message) from None


def _asset_check(request: Request) -> AssetCheck:
    drive = request.app.state.services.connectors.drive

    def check(asset_ids: Sequence[str]) -> None:
        for asset_id in asset_ids:
            drive.get_file(asset_id)

    return check


@router.get("", responses=_ERRORS)
def list_stories(conn: ConnDep, archived: bool = False) -> list[StoryCampaign]:
    """Campaigns, newest first; archived ones too with `archived=true`."""
    with _story_errors():
        return story_campaigns(conn, include_archived=archived)


@router.post("", status_code=201, responses=_ERRORS)
def post_story(
    body: StoryCampaignCreate, conn: ConnDep, actor: Actor, request: Request
) -> StoryCampaign:
    """Create an active campaign (its asset ids must be files of the allowlisted Drive)."""
    with _story_errors():
        return create_campaign(conn, body, actor=actor, check_assets=_asset_check(request))


@router.get("/{story_id}", responses=_ONE_ERRORS)
def get_story(story_id: str, conn: ConnDep) -> StoryCampaign:
    """One campaign."""
    with _story_errors():
        return find_campaign(conn, story_id)


@router.patch("/{story_id}", responses=_ONE_ERRORS)
def patch_story(
    story_id: str, body: StoryCampaignUpdate, conn: ConnDep, actor: Actor, request: Request
) -> StoryCampaign:
    """Change the given fields; `{"active": false}` archives the campaign."""
    if not body.model_fields_set:
        raise ApiError(422, "nothing_to_change", "pass at least one field of the campaign")
    with _story_errors():
        return change_campaign(
            conn, story_id, body, actor=actor, check_assets=_asset_check(request)
        )


class StoryPitchPublic(BaseModel):
    """One pitch of a story as the campaign view shows it."""

    id: str
    execution_id: str
    contact_email: str
    status: str
    subject: str
    body: str
    rank_score: float
    rank_reason: str
    gate: dict[str, Any]
    gmail_draft_id: str | None
    outcome_reason: str


class StoryPitches(BaseModel):
    """A story's pitches, best ranked first."""

    story: StoryCampaign
    pitches: list[StoryPitchPublic]


class StoryDecision(BulkDecision):
    """The bulk approval of one execution: a default and per-contact decisions."""

    execution_id: str = Field(min_length=1, max_length=300)


@router.get("/{story_id}/pitches", responses=_ONE_ERRORS)
def get_pitches(story_id: str, conn: ConnDep, status: str | None = None) -> StoryPitches:
    """The story's pitches (one status only with `status`, e.g. `pending_approval`)."""
    with _story_errors():
        story = find_campaign(conn, story_id)
    rows = list_pitches(conn, story_id=story.id)
    pitches = [StoryPitchPublic.model_validate(row) for row in rows]
    return StoryPitches(
        story=story, pitches=[p for p in pitches if status is None or p.status == status]
    )


@router.post(
    "/{story_id}/decisions",
    responses={**_ONE_ERRORS, 409: {"description": "The execution is not waiting for approval."}},
)
def post_decisions(
    story_id: str, body: StoryDecision, conn: ConnDep, actor: Actor, request: Request
) -> StoryPitches:
    """Approve all, some, edit or reject the pitches of an execution waiting for approval."""
    services: Services = request.app.state.services
    with _story_errors():
        story = find_campaign(conn, story_id)
    if not body.execution_id.startswith(f"story:{story.id}:") or not is_waiting(
        services, body.execution_id
    ):
        raise ApiError(
            409,
            "execution_not_waiting",
            f"execution {body.execution_id!r} of this story is not waiting for approval: "
            "reload the pitches to see where it stands",
        )
    decision = body.model_dump(mode="json", exclude={"execution_id"})
    resume_story(services, body.execution_id, decision, FollowupContext(actor=actor))
    return get_pitches(story_id, conn)
