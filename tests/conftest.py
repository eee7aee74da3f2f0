"""Shared fixtures: one embedded Postgres per test session, a fresh database per module.

No test shares a dirty database with another module, and nothing is left running after
the session (the embedded server lives in a temporary folder and is deleted with it).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pgserver import get_server
from psycopg import Connection
from psycopg.rows import DictRow, dict_row

from sales_agent.config import Settings, load_settings
from sales_agent.db import migrate
from sales_agent.services import Services, open_services


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a throwaway embedded Postgres (maintenance database)."""
    # Deleted with its folder on exit: nothing is left running after the session.
    server = get_server(tmp_path_factory.mktemp("pg") / "postgres", cleanup_mode="delete")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


def _with_database(url: str, name: str) -> str:
    # pgserver URLs look like postgresql://postgres:@/postgres?host=/socket/dir
    return re.sub(r"/postgres(\?|$)", rf"/{name}\1", url, count=1)


@pytest.fixture(scope="module")
def database_url(pg_server_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database for this test module."""
    module = re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])[:30]
    name = f"t_{module}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _with_database(pg_server_url, name)
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings on the module's database and the in-process sandbox, ignoring any .env."""
    return load_settings(
        database_url=database_url,
        data_dir=Path(tmp_path_factory.mktemp("data")),
        sandbox_url=None,
        hubspot_access_token=None,
        google_client_id=None,
        google_client_secret=None,
        google_refresh_token=None,
        openai_api_key=None,
        # Fast and deterministic; the tests that need the real model ask for `local`.
        embeddings="hash",
        _env_file=None,
    )


@pytest.fixture(scope="module")
def migrated(database_url: str) -> str:
    """The module's database, upgraded to the latest revision."""
    migrate.upgrade(database_url)
    return database_url


def _connect(url: str) -> Connection[DictRow]:
    return psycopg.connect(url, autocommit=True, row_factory=dict_row)


@pytest.fixture(scope="module")
def module_conn(migrated: str) -> Iterator[Connection[DictRow]]:
    """One autocommit, dict-row connection to the migrated database, for the whole module."""
    with _connect(migrated) as connection:
        yield connection


@pytest.fixture
def conn(migrated: str) -> Iterator[Connection[DictRow]]:
    """An autocommit, dict-row connection to the migrated database, one per test.

    A module that starts each test from clean tables overrides it, asking for this one.
    """
    with _connect(migrated) as connection:
        yield connection


class AuditTail:
    """The audit events written after it was made (the log is append-only, so tests share it)."""

    def __init__(self, conn: Connection[DictRow]) -> None:
        self._conn = conn
        row = conn.execute("SELECT coalesce(max(id), 0) AS id FROM audit_log").fetchone()
        assert row is not None
        self.start = int(row["id"])

    def events(self, *, thread_id: str | None = None) -> list[dict[str, Any]]:
        """Every event since the start, oldest first; only the thread's when one is named."""
        if thread_id is None:
            query, params = "SELECT * FROM audit_log WHERE id > %s ORDER BY id", [self.start]
        else:
            query = "SELECT * FROM audit_log WHERE id > %s AND thread_id = %s ORDER BY id"
            params = [self.start, thread_id]
        return self._conn.execute(query, params).fetchall()

    def actions(self, *, thread_id: str | None = None) -> list[str]:
        return [event["action"] for event in self.events(thread_id=thread_id)]


@pytest.fixture
def audit_tail(migrated: str) -> Iterator[AuditTail]:
    """The audit events the test writes, read on a connection of its own."""
    with _connect(migrated) as connection:
        yield AuditTail(connection)


@pytest.fixture(scope="module")
def services(settings: Settings) -> Iterator[Services]:
    """The module's services: its database and the in-process sandbox."""
    with open_services(settings) as opened:
        yield opened
