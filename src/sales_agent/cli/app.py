"""`sales-agent`: the command line. Commands are thin; the work lives in the modules they call.

A user's mistake (bad config, a database that will not start, a service that refuses) ends
with one `error:` line and exit code 2, never a traceback.
"""

from __future__ import annotations

import logging
import sys

import typer

from sales_agent.cli.admin import admin_app
from sales_agent.cli.audit import audit_app
from sales_agent.cli.auth import auth_app
from sales_agent.cli.bench import bench_app
from sales_agent.cli.bench_sequences import bench_sequences
from sales_agent.cli.crm import crm_app
from sales_agent.cli.db import db_app
from sales_agent.cli.demo import demo
from sales_agent.cli.evals import eval_app
from sales_agent.cli.gate import gate_app
from sales_agent.cli.gmail import gmail_app
from sales_agent.cli.hubspot import hubspot_app
from sales_agent.cli.index import index_app, search_app
from sales_agent.cli.privacy import privacy_app
from sales_agent.cli.reader import reader_app
from sales_agent.cli.runs import runs_app
from sales_agent.cli.sequences import sequences_app
from sales_agent.cli.serve import check_connections_command, sandbox, serve
from sales_agent.cli.story import story_app
from sales_agent.cli.trigger import trigger_app
from sales_agent.cli.voice import voice_app
from sales_agent.cli.watch import watch_command
from sales_agent.cli.worker import worker_command
from sales_agent.errors import SalesAgentError
from sales_agent.policy.pii import install_log_redaction

__all__ = ["app", "run"]

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
app.add_typer(db_app, name="db")
app.add_typer(eval_app, name="eval")
app.add_typer(admin_app, name="admin")
app.add_typer(audit_app, name="audit")
app.add_typer(gate_app, name="gate")
app.add_typer(bench_app, name="bench")
bench_app.command("sequences")(bench_sequences)
app.add_typer(voice_app, name="voice")
app.add_typer(index_app, name="index")
app.add_typer(search_app, name="search")
app.add_typer(reader_app, name="reader")
app.add_typer(story_app, name="story")
app.add_typer(runs_app, name="runs")
app.add_typer(privacy_app, name="privacy")
app.add_typer(auth_app, name="auth")
app.add_typer(hubspot_app, name="hubspot")
app.add_typer(gmail_app, name="gmail")
app.add_typer(trigger_app, name="trigger")
app.add_typer(sequences_app, name="sequences")
app.add_typer(crm_app, name="crm")
app.command("watch")(watch_command)
app.command("worker")(worker_command)
app.command("demo")(demo)
app.command("serve")(serve)
app.command("sandbox")(sandbox)
app.command("check-connections")(check_connections_command)


def run() -> None:
    """Run the command line (the `sales-agent` script, through `sales_agent.cli.main`)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # No PII in any log line: the packaged names now, the CRM's once a command loads them.
    install_log_redaction()
    try:
        app()
    except SalesAgentError as exc:
        print(f"error: {exc.message}", file=sys.stderr)  # noqa: T201 - the CLI's own error line
        sys.exit(2)
