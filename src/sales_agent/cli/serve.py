"""`sales-agent serve`, `sandbox` and `check-connections`: the processes that answer HTTP."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sales_agent.config import get_settings

__all__ = ["check_connections_command", "sandbox", "serve"]

console = Console()


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


def sandbox(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    scale: Annotated[
        int,
        typer.Option(
            min=0,
            max=100_000,
            help="Generated contacts added to the seed (with N/5 companies, 2N messages, "
            "N/10 Drive files); 0: the seed alone.",
        ),
    ] = 0,
) -> None:
    """Run the sandbox workspace (Gmail, Calendar, HubSpot emulator) on its own."""
    from sales_agent.sandbox.server import run_sandbox

    console.print(f"sandbox on http://{host}:{port} (Ctrl+C to stop)")
    run_sandbox(host, port, scale=scale)


def check_connections_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Report, per service, whether it is reachable and the credentials are authorized."""
    from contextlib import ExitStack

    from sales_agent.connectors import RetryPolicy, build_connectors
    from sales_agent.connectors.account_tokens import AccountTokens
    from sales_agent.connectors.connection_check import check_connections
    from sales_agent.sandbox import SandboxServer
    from sales_agent.services import migrated_database_url, open_pool

    settings = get_settings()
    with ExitStack() as stack:
        tokens = AccountTokens(settings)
        if settings.uses_real_google or settings.database_url is not None:
            # Connected accounts' tokens live in the database and come before the environment's.
            database_url = migrated_database_url(settings)
            tokens = AccountTokens(
                settings, stack.enter_context(open_pool(database_url, max_size=1))
            )
        sandbox_url = settings.sandbox_url
        if settings.needs_sandbox:
            sandbox_url = stack.enter_context(SandboxServer()).url
        sandbox = f"sandbox {sandbox_url}"
        targets = {
            "gmail": "Gmail API" if settings.uses_real_google else sandbox,
            "calendar": "Calendar API" if settings.uses_real_google else sandbox,
            "drive": "Drive API" if settings.uses_real_google else sandbox,
            "hubspot": "HubSpot API" if tokens.hubspot_token() is not None else sandbox,
        }
        # One quick attempt: a person waiting on a health check wants the answer, not retries.
        connectors = build_connectors(
            settings, sandbox_url, retry=RetryPolicy(attempts=1), tokens=tokens
        )
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
