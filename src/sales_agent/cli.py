"""`sales-agent`: the command line. Commands are thin; the work lives in the modules they call.

A user's mistake (bad config, a database that will not start, a service that refuses) ends
with one `error:` line and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from sales_agent.bench.cli import bench_app
from sales_agent.cli_admin import admin_app
from sales_agent.cli_audit import audit_app
from sales_agent.cli_gate import gate_app
from sales_agent.cli_index import index_app, search_app
from sales_agent.cli_voice import voice_app
from sales_agent.cli_watch import watch_command
from sales_agent.cli_worker import worker_command
from sales_agent.config import get_settings
from sales_agent.errors import SalesAgentError
from sales_agent.policy.pii import install_log_redaction

__all__ = ["app", "main"]

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
db_app = typer.Typer(no_args_is_help=True, help="Database: migrations and the embedded server.")
eval_app = typer.Typer(no_args_is_help=True, help="Evals: run scenarios, re-score traces.")
app.add_typer(db_app, name="db")
app.add_typer(eval_app, name="eval")
app.add_typer(admin_app, name="admin")
app.add_typer(audit_app, name="audit")
app.add_typer(gate_app, name="gate")
app.add_typer(bench_app, name="bench")
app.add_typer(voice_app, name="voice")
app.add_typer(index_app, name="index")
app.add_typer(search_app, name="search")
app.command("watch")(watch_command)
app.command("worker")(worker_command)

console = Console()


@app.command()
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    scenario: Annotated[
        str | None,
        typer.Option(help="A named sandbox scenario (e.g. pricing_question); default: the seed."),
    ] = None,
) -> None:
    """Run a lead to approval, accept it, and show the plan, the draft and where it landed."""
    from sales_agent.demo import demo_settings, run_demo

    report = run_demo(demo_settings(), scenario)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    _print_demo(report)


def _print_demo(report: dict[str, Any]) -> None:
    plan = report["plan"]
    if plan is not None:
        console.print(f"[bold]Plan:[/] {plan['action']} ({plan['tone']}): {plan['reason']}")
    draft = report["draft"]
    if draft is not None:
        console.print(
            Panel(
                f"[bold]To:[/] {', '.join(draft['to'])}\n[bold]Subject:[/] {draft['subject']}"
                f"\n\n{draft['body']}",
                title=f"Draft for {report['contact_email']} ({report['company']})",
            )
        )
    zone = ZoneInfo(report["timezone"])
    if report["slot_details"] and draft is not None:
        slots = Table(f"When ({report['timezone']})", "Why", title="Meeting slots from free/busy")
        for slot in report["slot_details"]:
            start = datetime.fromisoformat(slot["start"]).astimezone(zone)
            slots.add_row(f"{start:%a %d %b %H:%M}", slot["reason"])
        console.print(slots)
    if report["gmail"] is not None:
        gmail = report["gmail"]
        console.print(
            f"Gmail draft [bold]{report['gmail_draft_id']}[/] in thread {gmail['thread_id']}, "
            f"In-Reply-To {gmail['in_reply_to']}; HubSpot note {report['crm_note_id']}; "
            f"gate {report['gate']['status']}"
        )
    for task in report["tasks"]:
        console.print(f"HubSpot task {task['id']}: {task['subject']} (due {task['due']})")
    console.print(
        f"outcome {report['outcome']}: {report['outcome_reason']}\n"
        f"mode {report['mode']} | suppressed {report['suppressed']} | "
        f"LangGraph thread {report['thread_id']} | trace {report['trace_path']}"
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Run a job worker in the server.")
    ] = True,
) -> None:
    """Serve the thread API (usable with langgraph-sdk), /health and /ready."""
    import uvicorn

    from sales_agent.logging_json import log_config
    from sales_agent.server.app import create_app

    settings = get_settings()
    uvicorn.run(
        create_app(settings, worker=worker),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        log_config=log_config(),  # JSON lines with the trace id, PII redacted
    )


@app.command()
def sandbox(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
) -> None:
    """Run the sandbox workspace (Gmail, Calendar, HubSpot emulator) on its own."""
    from sales_agent.sandbox.server import run_sandbox

    console.print(f"sandbox on http://{host}:{port} (Ctrl+C to stop)")
    run_sandbox(host, port)


@app.command("check-connections")
def check_connections_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Report, per service, whether it is reachable and the credentials are authorized."""
    from contextlib import ExitStack

    from sales_agent.sandbox import SandboxServer
    from sales_agent.tools import RetryPolicy, build_connectors
    from sales_agent.tools.connection_check import check_connections

    settings = get_settings()
    with ExitStack() as stack:
        sandbox_url = settings.sandbox_url
        if settings.needs_sandbox:
            sandbox_url = stack.enter_context(SandboxServer()).url
        sandbox = f"sandbox {sandbox_url}"
        targets = {
            "gmail": "Gmail API" if settings.uses_real_google else sandbox,
            "calendar": "Calendar API" if settings.uses_real_google else sandbox,
            "drive": "Drive API" if settings.uses_real_google else sandbox,
            "hubspot": "HubSpot API" if settings.uses_real_hubspot else sandbox,
        }
        # One quick attempt: a person waiting on a health check wants the answer, not retries.
        connectors = build_connectors(settings, sandbox_url, retry=RetryPolicy(attempts=1))
        statuses = check_connections(
            connectors, operator_email=settings.operator_email, targets=targets
        )
    if as_json:
        typer.echo(json.dumps([s.model_dump() for s in statuses], indent=2))
    else:
        table = Table("service", "target", "reachable", "authorized", "detail")
        for s in statuses:
            table.add_row(s.service, s.target, _yes(s.reachable), _yes(s.authorized), s.detail)
        console.print(table)
    if not all(s.authorized for s in statuses):
        raise typer.Exit(1)


def _yes(flag: bool) -> str:
    return "[green]yes[/]" if flag else "[red]no[/]"


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply our migrations and the LangGraph and procrastinate schemas."""
    from sales_agent.db import migrate
    from sales_agent.db.urls import active_database_url

    url = active_database_url(get_settings())
    migrate.upgrade(url, revision)
    console.print(f"database at revision {migrate.current_revision(url)}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base.")],
) -> None:
    """Reverse our migrations down to REVISION (`base` removes all our tables)."""
    from sales_agent.db import migrate
    from sales_agent.db.urls import active_database_url

    url = active_database_url(get_settings())
    migrate.downgrade(url, revision)
    console.print(f"database at revision {migrate.current_revision(url) or 'base'}")


@db_app.command("url")
def db_url() -> None:
    """Print the URL of the active database (starting the embedded one if needed)."""
    from sales_agent.db.urls import active_database_url

    typer.echo(active_database_url(get_settings()))


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded Postgres (a no-op when DATABASE_URL is set)."""
    from sales_agent.db.embedded import stop_embedded

    settings = get_settings()
    if settings.database_url:
        console.print("DATABASE_URL is set: there is no embedded server to stop")
        return
    stopped = stop_embedded(settings.data_dir)
    console.print("embedded Postgres stopped" if stopped else "embedded Postgres was not running")


@eval_app.command("run")
def eval_run(
    dataset: Annotated[Path, typer.Option(help="Scenario file (JSON lines).")],
    traces: Annotated[Path, typer.Option(help="Folder for the JSON-lines traces.")] = Path(
        "evals/traces"
    ),
) -> None:
    """Run each scenario, record its trace, score the hard constraints."""
    from sales_agent.evals.runner import run_dataset

    report = run_dataset(dataset, traces)
    console.print(report.table())
    console.print(f"traces: {report.trace_path}")
    if not report.passed:
        raise typer.Exit(1)


@eval_app.command("replay")
def eval_replay(
    path: Annotated[Path, typer.Argument(help="A trace file or a folder of them.")],
) -> None:
    """Re-score recorded traces without running the graph."""
    from sales_agent.evals.runner import replay

    report = replay(path)
    console.print(report.table())
    if not report.passed:
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the `sales-agent` script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # No PII in any log line: the packaged names now, the CRM's once a command loads them.
    install_log_redaction()
    try:
        app()
    except SalesAgentError as exc:
        print(f"error: {exc.message}", file=sys.stderr)  # noqa: T201 - the CLI's own error line
        sys.exit(2)
