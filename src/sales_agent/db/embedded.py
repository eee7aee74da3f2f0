"""The embedded Postgres 16 + pgvector that `pgserver` ships, for zero-configuration installs.

The server is started on demand and left running (cleanup_mode=None) so that later commands
reuse it instead of paying start-up again; `sales-agent db stop` stops it cleanly.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); pgserver then uses
    # /tmp, which is what we want, so the warning is noise for the operator.
    warnings.simplefilter("ignore")
    from pgserver.postgres_server import get_server

from sales_agent.errors import DatabaseError

__all__ = [
    "embedded_database_url",
    "is_embedded_running",
    "stop_embedded",
]

logger = logging.getLogger(__name__)


def _pgdata(data_dir: Path) -> Path:
    path = data_dir.expanduser().resolve() / "postgres"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def embedded_database_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded server under `data_dir` and return its URL."""
    pgdata = _pgdata(data_dir)
    try:
        server = get_server(pgdata, cleanup_mode=None)
    except Exception as exc:  # pgserver raises plain exceptions from initdb / pg_ctl
        raise DatabaseError(
            f"could not start the embedded Postgres in {pgdata}: {exc}. "
            "Check that the folder is writable, or set DATABASE_URL to use another server."
        ) from exc
    url: str = server.get_uri()
    logger.debug("embedded postgres ready at %s", pgdata)
    return url


def is_embedded_running(data_dir: Path) -> bool:
    """True when a server for `data_dir` is up (without starting one)."""
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(_pgdata(data_dir))
    return bool(info is not None and info.is_running())


def stop_embedded(data_dir: Path) -> bool:
    """Stop the embedded server if it runs; returns whether one was stopped."""
    if not is_embedded_running(data_dir):
        return False
    server = get_server(_pgdata(data_dir), cleanup_mode="stop")
    server.cleanup()
    return True
