"""Shared fixtures: one embedded Postgres per test session, a fresh database per module.

No test shares a dirty database with another module, and nothing is left running after
the session (the embedded server lives in a temporary folder and is deleted with it).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from sales_agent.config import Settings, load_settings
from sales_agent.db.embedded import embedded_server_for_tests


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a throwaway embedded Postgres (maintenance database)."""
    with embedded_server_for_tests(tmp_path_factory.mktemp("pg")) as url:
        yield url


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
        _env_file=None,
    )
