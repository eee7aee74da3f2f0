"""`sales-agent voice`: learn the operator's voice (Sent mail, chosen Drive docs), validate, show.

With no Google credentials the commands read the sandbox workspace, started in-process.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sales_agent.cli._common import ActorOption, policy_connection
from sales_agent.config import get_settings

__all__ = ["voice_app"]

voice_app = typer.Typer(no_args_is_help=True, help="Voice profile: learn, validate, show, stats.")
console = Console()


@voice_app.command("learn")
def learn(
    actor: ActorOption,
    limit: Annotated[int | None, typer.Option(min=1, help="At most N Sent emails.")] = None,
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only mail sent since DATE.")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Also write the profile as JSON.")] = None,
    drive_doc: Annotated[
        list[str] | None,
        typer.Option(
            "--drive-doc",
            metavar="FILE_ID",
            help="Also learn from this allowlisted Drive doc's paragraphs (repeatable).",
        ),
    ] = None,
) -> None:
    """Learn from the operator's Sent mail (80%), measure on the rest, store a new version."""
    from sales_agent.memory.voice.pipeline import export_profile, learn_and_store
    from sales_agent.services import open_services

    with open_services() as services:
        run = learn_and_store(
            services,
            limit=limit,
            since=since.date() if since else None,
            drive_doc_ids=drive_doc or (),
            actor=actor,
        )
    profile = run.profile
    learned = profile.learned
    assert learned is not None and profile.metrics is not None
    metrics = profile.metrics
    console.print(
        f"voice profile v{profile.version} for {profile.operator_email}: "
        f"{run.used} of {run.fetched} emails usable, {metrics.train_emails} learned on, "
        f"{metrics.held_out_emails} held out, {run.documents} Drive paragraphs\n"
        f"tone {learned.tone.label}, {len(learned.patterns)} phrases, {len(learned.ctas)} CTAs, "
        f"median {learned.median_word_count} words\n"
        f"held-out coverage {metrics.coverage:.1%}, CTA match {metrics.cta_match_rate:.1%}, "
        f"discrimination {_rate(metrics.discrimination_accuracy)}"
    )
    if output is not None:
        export_profile(profile, output)
        console.print(f"wrote {output}")


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


@voice_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="A profile JSON file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Schema, PII scan of every string, pattern confidence, held-out metrics; exit 1 if bad."""
    from sales_agent.memory.voice.pipeline import own_names
    from sales_agent.memory.voice.validate import validate_profile_file
    from sales_agent.policy.pii import default_redactor

    own = own_names(get_settings())
    report = validate_profile_file(file, default_redactor(), own_names=own)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        for error in report.schema_errors:
            console.print(f"[red]schema[/] {error}")
        for finding in report.pii:
            console.print(f"[red]PII[/] {finding.path}: {', '.join(finding.kinds)}")
        console.print(f"pattern confidence: {report.pattern_confidence}")
        console.print(f"held-out metrics: {report.metrics or 'none'}")
        console.print("[green]valid[/]" if report.ok else "[red]invalid[/]")
    if not report.ok:
        raise typer.Exit(1)


@voice_app.command("show")
def show(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The current profile (the newest stored version, else the packaged default)."""
    from sales_agent.memory.voice.pipeline import export_profile
    from sales_agent.memory.voice.store import load_current_profile

    with policy_connection() as conn:
        profile = load_current_profile(conn, get_settings().operator_email)
    if as_json:
        typer.echo(export_profile(profile), nl=False)
        return
    table = Table("field", "value", "source", title=f"Voice profile v{profile.version}")
    for name, value in profile.model_dump(exclude={"learned", "metrics", "sources"}).items():
        text = "\n".join(value) if isinstance(value, (list, tuple)) else str(value)
        table.add_row(name, text, profile.sources.get(name, ""))
    console.print(table)


@voice_app.command("stats")
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Stored versions with their held-out metrics, newest first."""
    from sales_agent.memory.voice.store import list_versions

    with policy_connection() as conn:
        versions = list_versions(conn, get_settings().operator_email)
    if as_json:
        typer.echo(json.dumps([v.model_dump(mode="json") for v in versions], indent=2))
        return
    if not versions:
        console.print("no stored profile yet: run `sales-agent voice learn`")
        return
    table = Table("version", "created", "by", "coverage", "CTA match", "discrimination")
    for v in versions:
        m = v.metrics
        table.add_row(
            str(v.version),
            f"{v.created_at:%Y-%m-%d %H:%M}",
            v.created_by,
            *(_rate(_number(m.get(k))) for k in _METRICS),
        )
    console.print(table)


_METRICS = ("coverage", "cta_match_rate", "discrimination_accuracy")


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


@voice_app.command("refresh")
def refresh(actor: ActorOption) -> None:
    """Apply the operator's pending edit feedback (avoid / prefer phrases) as a new version."""
    from sales_agent.memory.voice.feedback import refresh_profile

    with policy_connection() as conn:
        profile = refresh_profile(conn, get_settings().operator_email, actor=actor)
    console.print(
        f"voice profile v{profile.version}: avoid {len(profile.avoid_phrases)} phrases, "
        f"prefer {len(profile.prefer_phrases)}"
    )
