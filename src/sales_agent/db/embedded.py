"""The embedded Postgres 16 + pgvector that `pgserver` ships, for zero-configuration installs.

The server is started on demand and left running (cleanup_mode=None) so that later commands
reuse it instead of paying start-up again; `sales-agent db stop` stops it cleanly
(`pg_ctl stop`, whichever processes opened it).
"""

from __future__ import annotations

import logging
import subprocess
import warnings
from pathlib import Path

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); pgserver then uses
    # /tmp, which is what we want, so the warning is noise for the operator.
    warnings.simplefilter("ignore")
    from pgserver._commands import POSTGRES_BIN_PATH
    from pgserver.postgres_server import get_server

from sales_agent.errors import DatabaseError

__all__ = [
    "POSTGRES_BIN_PATH",
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
        if not is_embedded_running(data_dir):
            # pgserver hands a process its earlier handle back without starting anything, so
            # a server stopped since (`stop_embedded`, a restart) is started here, under the
            # same file lock pgserver starts it with.
            with server._lock:
                server.ensure_postgres_running()
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
    """Stop the embedded server if it runs (`pg_ctl stop`); returns whether one was stopped.

    pgserver stops a server only when the last process that opened it lets go, and it
    counts processes that died without letting go (a `serve` that was killed) as still
    holding it; so this asks the server itself to shut down, whoever opened it.
    """
    pgdata = _pgdata(data_dir)
    if not is_embedded_running(data_dir):
        return False
    # A handle of our own for pgserver's settings (the system user it runs Postgres as);
    # cleanup_mode=None: this handle never stops or deletes anything when it is dropped.
    server = get_server(pgdata, cleanup_mode=None)
    stop = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-w", "-m", "fast", "stop"]
    try:
        subprocess.run(
            stop, check=True, capture_output=True, text=True, user=server.system_user, timeout=120
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        said = exc.stderr.strip() if isinstance(exc.stderr, str) else ""
        raise DatabaseError(
            f"could not stop the embedded Postgres in {pgdata} ({exc} {said}); "
            f"its log is {pgdata / 'log'}"
        ) from exc
    logger.debug("embedded postgres in %s stopped", pgdata)
    return True
