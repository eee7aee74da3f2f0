"""Which database this process talks to: `DATABASE_URL` when set, else the embedded one."""

from __future__ import annotations

from sales_agent.config import Settings
from sales_agent.db.embedded import embedded_database_url

__all__ = ["active_database_url", "sqlalchemy_url"]


def active_database_url(settings: Settings) -> str:
    """The libpq URL of the active database, starting the embedded server if needed."""
    if settings.database_url:
        return settings.database_url
    return embedded_database_url(settings.data_dir)


def sqlalchemy_url(libpq_url: str) -> str:
    """The same URL with the psycopg 3 driver named, as SQLAlchemy (Alembic) expects."""
    scheme, _, rest = libpq_url.partition("://")
    if scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a Postgres URL: {scheme}://...")
    return f"postgresql+psycopg://{rest}"
