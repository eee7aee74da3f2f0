"""`sales-agent db`: migrations and the embedded server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sales_agent.config import get_settings

__all__ = ["db_app"]

db_app = typer.Typer(no_args_is_help=True, help="Database: migrations and the embedded server.")
console = Console()


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


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (pg_dump format).")],
) -> None:
    """Back up the active database (the embedded one unless DATABASE_URL is set) to FILE."""
    from sales_agent.db.backup import backup_database
    from sales_agent.db.urls import active_database_url

    backup_database(active_database_url(get_settings()), file)
    console.print(f"backup written to {file}")


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `db backup`.")],
) -> None:
    """Replace the active database's contents with FILE (stop `serve` and workers first)."""
    from sales_agent.db.backup import restore_database
    from sales_agent.db.urls import active_database_url

    restore_database(active_database_url(get_settings()), file)
    console.print(f"database restored from {file}")
