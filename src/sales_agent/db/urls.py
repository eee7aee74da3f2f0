"""Which database this process talks to: `DATABASE_URL` when set, else the embedded one."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import psycopg

from sales_agent.config import Settings
from sales_agent.db.embedded import embedded_database_url
from sales_agent.errors import DatabaseError

__all__ = ["active_database_url", "redact_url", "sqlalchemy_url"]


def active_database_url(settings: Settings) -> str:
    """The libpq URL of the active database, starting the embedded server if needed.

    An external server is checked once here, so an unreachable one is a clear error at
    start-up rather than a driver traceback in the middle of a command.
    """
    if not settings.database_url:
        return embedded_database_url(settings.data_dir)
    try:
        with psycopg.connect(settings.database_url, connect_timeout=5):
            pass
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(
            f"cannot reach the database at {redact_url(settings.database_url)} ({reason}). "
            "Is it running? Check DATABASE_URL, or unset it to use the embedded Postgres."
        ) from None
    return settings.database_url


def redact_url(url: str) -> str:
    """`url` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def sqlalchemy_url(libpq_url: str) -> str:
    """The same URL with the psycopg 3 driver named, as SQLAlchemy (Alembic) expects."""
    scheme, _, rest = libpq_url.partition("://")
    if scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a Postgres URL: {scheme}://...")
    return f"postgresql+psycopg://{rest}"
