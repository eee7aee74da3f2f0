"""Bring a database to the current schema.

Our Alembic migrations, then the schemas that LangGraph (checkpointer, store) and
procrastinate own, through their own setup calls.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.store.postgres import PostgresStore
from procrastinate.schema import SchemaManager

from sales_agent.db.urls import sqlalchemy_url

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["current_revision", "downgrade", "head_revision", "newest_revision", "upgrade"]

_PROCRASTINATE_PRESENT = "SELECT to_regclass('procrastinate_jobs') IS NOT NULL"


def _config() -> Config:
    # Alembic (and SQLAlchemy under it) is imported only when a migration runs: a process
    # whose database is already at the newest revision starts without it (a third of a second).
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("sales_agent.db") / "migrations"))
    return config


def head_revision() -> str:
    """The newest revision our migrations define (what `db upgrade` brings a database to)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the migrations folder defines no revision"
    return head


def newest_revision() -> str:
    """`head_revision` read from the file names alone, without importing Alembic.

    Each revision is its file's four-digit prefix (`0017_crm_deals_deletions.py` is "0017")
    and revises the one before, so the newest is the largest; a test holds the two equal.
    """
    versions = files("sales_agent.db") / "migrations" / "versions"
    return max(entry.name[:4] for entry in versions.iterdir() if entry.name[:4].isdigit())


def _alembic(url: str, action: str, revision: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine, pool

    config = _config()
    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)
    engine.dispose()


def _setup_langgraph(url: str) -> None:
    with PostgresSaver.from_conn_string(url) as saver:
        saver.setup()
    with PostgresStore.from_conn_string(url) as store:
        store.setup()


def _setup_procrastinate(url: str) -> None:
    # procrastinate's apply_schema is not idempotent (it creates types unconditionally), so
    # apply it once and leave later versions to its own migration files.
    with psycopg.connect(url) as conn:
        row = conn.execute(_PROCRASTINATE_PRESENT).fetchone()
        if row is not None and row[0]:
            return
        conn.execute(SchemaManager.get_schema())


def upgrade(url: str, revision: str = "head") -> None:
    """Apply our migrations up to `revision`, then the library schemas (idempotent)."""
    if not (revision == "head" and current_revision(url) == newest_revision()):
        _alembic(url, "upgrade", revision)
    _setup_langgraph(url)
    _setup_procrastinate(url)


def downgrade(url: str, revision: str) -> None:
    """Reverse our migrations down to `revision` (`base` removes every table of ours)."""
    _alembic(url, "downgrade", revision)


def current_revision(url: str) -> str | None:
    """The Alembic revision the database is at, or None before the first upgrade."""
    with psycopg.connect(url) as conn:
        present = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
        if not (present and present[0]):
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])
