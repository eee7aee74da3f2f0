"""What the policy commands (`admin`, `audit`) share: the database and the audited options."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.config import get_settings

__all__ = ["ActorOption", "ReasonOption", "default_actor", "policy_connection"]


def default_actor() -> str:
    """The OS user running the command: who changed a policy, when `--actor` is not given."""
    try:
        return getpass.getuser()
    except OSError:
        # No user name in the environment or the password database (e.g. some containers):
        # record that honestly rather than refusing the change.
        return "unknown-os-user"


ActorOption = Annotated[
    str,
    typer.Option(
        "--actor",
        default_factory=default_actor,
        help="Who makes the change, for the audit log (default: your OS user name).",
        show_default=False,
    ),
]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why, for the audit log (required).", show_default=False)
]


@contextmanager
def policy_connection() -> Iterator[Connection[DictRow]]:
    """One connection (autocommit, dict rows) to the active database, migrated first."""
    from sales_agent.services import migrated_database_url, open_pool

    with (
        open_pool(migrated_database_url(get_settings()), max_size=1) as pool,
        pool.connection() as conn,
    ):
        yield conn
