"""A throwaway database beside the active one, for benchmarks that queue real work.

The webhook and throughput benchmarks leave runs, jobs and threads behind by design (they
measure the real queue); on a database of their own, a later worker never picks them up.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg

from sales_agent.config import Settings
from sales_agent.db.urls import active_database_url
from sales_agent.errors import DatabaseError

__all__ = ["scratch_database"]


def _with_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def scratch_database(settings: Settings) -> Iterator[Settings]:
    """`settings` on a new, empty database of the same server; dropped when the block ends."""
    base = active_database_url(settings)
    name = f"sales_agent_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        raise DatabaseError(
            f"the benchmark needs a throwaway database and could not create one ({exc}); "
            "grant CREATEDB to the database user, or unset DATABASE_URL to use the embedded one"
        ) from exc
    try:
        yield settings.model_copy(update={"database_url": _with_name(base, name)})
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
