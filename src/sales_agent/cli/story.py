"""`sales-agent story`: story-pitch campaigns (create, list, show, archive) and their pitches.

Every command needs `STORY_PITCH_ENABLED` on; with it off each ends with the line that says
how to turn it on. `story pitch` lives in `cli/story_pitch.py`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sales_agent.cli._common import ActorOption, policy_connection
from sales_agent.cli.story_pitch import pitch_command
from sales_agent.domain.story import CtaKind, Persona, StoryCampaign, StoryCampaignCreate

__all__ = ["story_app"]

story_app = typer.Typer(no_args_is_help=True, help="Story-pitch campaigns and their pitches.")
story_app.command("pitch")(pitch_command)
console = Console()

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _check_assets(asset_ids: Sequence[str]) -> None:
    """Each asset must be a file of an allowlisted Drive folder (Drive is asked only if any)."""
    if not asset_ids:
        return
    from sales_agent.services import open_services

    with open_services() as services:
        for asset_id in asset_ids:
            services.connectors.drive.get_file(asset_id)


def _print(story: StoryCampaign, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(story.model_dump(mode="json"), indent=2))
        return
    table = Table("field", "value", show_header=False)
    for name, value in story.model_dump(mode="json").items():
        shown = ", ".join(value) if isinstance(value, list) else "" if value is None else value
        table.add_row(name, escape(str(shown)))
    console.print(table)


@story_app.command("create")
def story_create(
    name: Annotated[str, typer.Option("--name", help="The campaign's name.")],
    key_message: Annotated[str, typer.Option("--key-message", help="The one thing to say.")],
    cta: Annotated[str, typer.Option("--cta", help="The single ask.")],
    actor: ActorOption,
    theme: Annotated[str, typer.Option("--theme", help="What the story is about.")] = "",
    persona: Annotated[
        Persona | None, typer.Option("--persona", help="The persona it targets.")
    ] = None,
    industry: Annotated[
        str | None, typer.Option("--industry", help="The industry it targets.")
    ] = None,
    cta_kind: Annotated[
        str, typer.Option("--cta-kind", help="reply, or call (offers 2-3 real slots).")
    ] = "reply",
    asset: Annotated[
        list[str] | None, typer.Option("--asset", help="A Drive file id (allowlisted); repeat.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Create an active campaign."""
    from sales_agent.policy.story_campaigns import create_campaign

    if cta_kind not in ("reply", "call"):
        raise typer.BadParameter("--cta-kind takes reply or call")
    kind: CtaKind = "call" if cta_kind == "call" else "reply"
    values = StoryCampaignCreate(
        name=name,
        theme=theme,
        target_persona=persona,
        target_industry=industry,
        key_message=key_message,
        cta=cta,
        cta_kind=kind,
        asset_ids=tuple(asset or ()),
    )
    with policy_connection() as conn:
        story = create_campaign(conn, values, actor=actor, check_assets=_check_assets)
    _print(story, as_json)


@story_app.command("list")
def story_list(
    archived: Annotated[bool, typer.Option("--archived", help="Include archived ones.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Campaigns, newest first."""
    from sales_agent.policy.story_campaigns import story_campaigns

    with policy_connection() as conn:
        stories = story_campaigns(conn, include_archived=archived)
    if as_json:
        typer.echo(json.dumps([s.model_dump(mode="json") for s in stories], indent=2))
        return
    table = Table("id", "name", "persona", "industry", "cta", "active")
    for story in stories:
        table.add_row(
            story.id,
            escape(story.name),
            story.target_persona.value if story.target_persona else "-",
            escape(story.target_industry or "-"),
            story.cta_kind,
            "yes" if story.active else "no",
        )
    console.print(table)


@story_app.command("show")
def story_show(
    story_id: Annotated[str, typer.Argument(help="The campaign's id.")],
    as_json: JsonOption = False,
) -> None:
    """One campaign."""
    from sales_agent.policy.story_campaigns import find_campaign

    with policy_connection() as conn:
        story = find_campaign(conn, story_id)
    _print(story, as_json)


@story_app.command("archive")
def story_archive(
    story_id: Annotated[str, typer.Argument(help="The campaign's id.")],
    actor: ActorOption,
    as_json: JsonOption = False,
) -> None:
    """Archive a campaign: no new pitches; the ones made stay."""
    from sales_agent.policy.story_campaigns import archive_campaign

    with policy_connection() as conn:
        story = archive_campaign(conn, story_id, actor=actor)
    _print(story, as_json)
