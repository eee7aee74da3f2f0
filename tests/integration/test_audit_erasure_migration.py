"""Migration 0009: the audit log re-hashed around pseudonyms, reversibly, never a broken one.

A log written under 0007 (the address inside the hash) is upgraded: the chain still
verifies, each address has one pseudonym, and erasing an address keeps the chain. A
downgrade restores the original hashes exactly; a tampered log refuses the upgrade.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg.rows import dict_row

from sales_agent.db import migrate
from sales_agent.policy.audit import verify_chain

ADDRESSES = ["priya@northwind.example", "sam@acme.example", "priya@northwind.example", None]


def _log(url: str) -> list[dict[str, object]]:
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()


def _write_old_log(url: str) -> None:
    migrate.downgrade(url, "base")
    migrate.upgrade(url, "0007")
    with psycopg.connect(url, autocommit=True) as conn:
        for n, address in enumerate(ADDRESSES):
            conn.execute(
                "INSERT INTO audit_log (actor, action, contact_email) VALUES (%s, %s, %s)",
                ["test", f"event-{n}", address],
            )


def test_upgrade_rehashes_around_pseudonyms_and_downgrade_restores_the_old_hashes(
    database_url: str,
) -> None:
    _write_old_log(database_url)
    before = [(row["id"], row["hash"]) for row in _log(database_url)]

    migrate.upgrade(database_url)
    rows = _log(database_url)
    refs = [row["subject_ref"] for row in rows]
    assert refs[0] == refs[2] and refs[0] != refs[1] and refs[3] is None
    assert [row["hash"] for row in rows] != [old for _, old in before]
    with psycopg.connect(database_url, autocommit=True, row_factory=dict_row) as conn:
        assert verify_chain(conn).intact
        # A new event for a known address reuses its pseudonym.
        conn.execute(
            "INSERT INTO audit_log (actor, action, contact_email) VALUES ('t', 'again', %s)",
            [ADDRESSES[1]],
        )
        assert _log(database_url)[-1]["subject_ref"] == refs[1]

    migrate.downgrade(database_url, "0007")
    assert [(row["id"], row["hash"]) for row in _log(database_url)][: len(before)] == before


def test_a_tampered_log_is_not_rehashed(database_url: str) -> None:
    _write_old_log(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        conn.execute("UPDATE audit_log SET reason = 'rewritten' WHERE action = 'event-1'")
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    with pytest.raises(Exception, match="does not match its hash chain"):
        migrate.upgrade(database_url)
