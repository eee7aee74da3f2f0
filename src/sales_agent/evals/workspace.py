"""Where evals run: a sandbox at the eval clock and a database of their own.

The Drive index is built, and nothing real is touched (no mailbox, no CRM, not the
operator's database).
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
from psycopg import sql

from sales_agent.config import Settings
from sales_agent.db.urls import active_database_url
from sales_agent.evals.trace import RunInfo
from sales_agent.memory.drive_index import index_drive, indexed_file_count
from sales_agent.policy.suppression import list_suppressions, unsuppress
from sales_agent.sandbox import SandboxServer
from sales_agent.services import Services, open_services

__all__ = [
    "EVAL_DATABASE_SUFFIX",
    "fresh_eval_database",
    "lift_suppressions",
    "open_eval_services",
    "reset_sandbox",
    "run_info",
]

logger = logging.getLogger(__name__)

EVAL_DATABASE_SUFFIX = "_evals"
"""The eval database is the active database's name plus this, recreated for every run."""


def fresh_eval_database(settings: Settings) -> str:
    """Drop and create `<active database>_evals` on the active server; its URL."""
    url = active_database_url(settings)
    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "postgres") + EVAL_DATABASE_SUFFIX
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def open_eval_services(
    base: Settings, clock: datetime, *, fresh_database: bool = True
) -> Iterator[Services]:
    """Services on a sandbox seeded at `clock`, never real APIs; the Drive index built.

    With `fresh_database` the run gets a new database of its own (the operator's stays
    untouched); without, it uses `base`'s database as it is (tests hand in their own).
    """
    database_url = fresh_eval_database(base) if fresh_database else base.database_url
    with SandboxServer(started_at=clock) as sandbox:
        settings = base.model_copy(
            update={
                "database_url": database_url,
                "sandbox_url": sandbox.url,
                "hubspot_access_token": None,
                "google_client_id": None,
                "google_client_secret": None,
                "google_refresh_token": None,
            }
        )
        with open_services(settings) as services:
            if indexed_file_count(services) == 0:
                index_drive(services)
            yield services


def reset_sandbox(services: Services) -> None:
    """Back to the seed (same clock): drafts and inserted mail of earlier runs gone."""
    assert services.sandbox_url is not None
    httpx.post(f"{services.sandbox_url}/_sandbox/reset", timeout=30).raise_for_status()


def lift_suppressions(services: Services) -> None:
    """Lift every suppression, so each case starts from the seed's (empty) list.

    An earlier case's unsubscribe must not block a later case from the same lead.
    """
    with services.pool.connection() as conn:
        for entry in list_suppressions(conn, include_expired=True):
            unsuppress(conn, value=entry.value, actor="evals", reason="next eval case")


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            cwd=Path.cwd(),
            check=False,
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def run_info(
    services: Services, *, dataset: str, split: str | None, started_at: datetime
) -> RunInfo:
    """What a trace records about its run: when, which commit, which model and embeddings."""
    return RunInfo(
        started_at=started_at,
        commit=_commit(),
        model=services.settings.model,
        embeddings=services.embedding_spec.describe(),
        dataset=dataset,
        split=split,
    )
