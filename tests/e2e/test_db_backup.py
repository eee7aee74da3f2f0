"""`sales-agent db backup FILE` / `db restore FILE`: what was backed up comes back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg


def test_a_restore_brings_back_the_backed_up_state(
    cli: Any, database_url: str, tmp_path: Path
) -> None:
    assert cli("db", "upgrade").returncode == 0
    reason = "--reason"
    assert cli("admin", "kill-switch", "on", reason, "before the backup").returncode == 0
    backup = tmp_path / "nested" / "sales-agent.dump"
    made = cli("db", "backup", str(backup))
    assert made.returncode == 0, made.stderr
    assert backup.stat().st_size > 0

    assert cli("admin", "kill-switch", "off", reason, "after the backup").returncode == 0
    restored = cli("db", "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert cli("admin", "kill-switch").stdout == "kill switch: ENGAGED (no external writes)\n"
    with psycopg.connect(database_url) as conn:
        reasons = [row[0] for row in conn.execute("SELECT reason FROM audit_log ORDER BY id")]
    assert "before the backup" in reasons and "after the backup" not in reasons
    assert cli("audit", "verify").returncode == 0


def test_a_missing_or_bad_backup_is_a_clear_error(cli: Any, tmp_path: Path) -> None:
    missing = cli("db", "restore", str(tmp_path / "none.dump"))
    assert missing.returncode == 2 and "there is no backup" in missing.stderr
    junk = tmp_path / "junk.dump"
    junk.write_text("not a backup")
    bad = cli("db", "restore", str(junk))
    assert bad.returncode == 2 and "the restore failed" in bad.stderr
