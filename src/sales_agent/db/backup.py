"""Back up and restore a database with Postgres's own tools (`pg_dump`, `pg_restore`).

The binaries are the ones `pgserver` ships, the same major version as the embedded server,
so a backup of the embedded database always restores into it. A backup is pg_dump's custom
format: compressed, and restorable table by table with `pg_restore` by hand if need be.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from sales_agent.db.embedded import POSTGRES_BIN_PATH
from sales_agent.errors import DatabaseError

__all__ = ["backup_database", "restore_database"]

_TIMEOUT = 3600


def _run(tool: str, arguments: list[str], what: str) -> None:
    command = [str(POSTGRES_BIN_PATH / tool), *arguments]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=_TIMEOUT)
    except subprocess.CalledProcessError as exc:
        raise DatabaseError(
            f"{what} failed: {exc.stderr.strip() or exc}. Check that the database is up "
            "(`sales-agent db url`) and that the file is a backup made by `sales-agent db backup`."
        ) from None
    except subprocess.TimeoutExpired:
        raise DatabaseError(f"{what} took over {_TIMEOUT} s and was stopped") from None


def backup_database(url: str, file: Path) -> None:
    """Write the whole database (schema and data, every table) to `file`."""
    file.parent.mkdir(parents=True, exist_ok=True)
    _run("pg_dump", ["--format=custom", "--no-owner", f"--file={file}", url], "the backup")


def restore_database(url: str, file: Path) -> None:
    """Replace the database's contents with the backup in `file`, in one transaction.

    Objects in the backup are dropped and recreated; a failure leaves the database as it was.
    """
    if not file.is_file():
        raise DatabaseError(f"there is no backup at {file}: pass the file `db backup` wrote")
    arguments = ["--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={url}"]
    _run("pg_restore", [*arguments, str(file)], "the restore")
