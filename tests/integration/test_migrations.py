"""`db upgrade` / `db downgrade base` / `db upgrade` leave the schema exactly as it was."""

from __future__ import annotations

import psycopg
import pytest

from sales_agent.db import migrate

HEAD = migrate.head_revision()

# Everything in the public schema that a migration could change, in a stable order.
SCHEMA_QUERIES = {
    "columns": """
        SELECT table_name, column_name, data_type, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public'
        ORDER BY table_name, column_name""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' ORDER BY tablename, indexname""",
    "constraints": """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        ORDER BY 1, 2""",
    "triggers": """
        SELECT event_object_table, trigger_name, event_manipulation, action_statement
        FROM information_schema.triggers WHERE trigger_schema = 'public'
        ORDER BY 1, 2, 3""",
    "functions": """
        SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f'
          -- an extension's functions (pgvector's) are the extension's, not a migration's
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        ORDER BY 1, 2""",
}


def schema(url: str) -> dict[str, list[tuple[object, ...]]]:
    with psycopg.connect(url) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in SCHEMA_QUERIES.items()}


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    return {row[0] for row in rows}


OURS = {
    "drafts",
    "audit_log",
    "runtime_settings",
    "side_effects",
    "agent_threads",
    "feature_flags",
    "guardrail_rules",
    "suppressions",
    "send_ledger",
    "voice_profiles",
    "voice_feedback",
    "embedding_indexes",
    "gmail_sync_cursors",
    "drive_index_files",
    "runs",
    "api_keys",
    "webhook_events",
    "trigger_cursors",
    "worker_heartbeats",
    "story_campaigns",
    "story_pitches",
}


def test_upgrade_downgrade_upgrade_is_identical(database_url: str) -> None:
    migrate.upgrade(database_url)
    first = schema(database_url)
    assert tables(database_url) >= OURS
    assert {"checkpoints", "store", "procrastinate_jobs"} <= tables(database_url)
    # The newest file's revision (0007 had landed while this still said 0006).
    assert migrate.current_revision(database_url) == HEAD

    migrate.downgrade(database_url, "base")
    assert not OURS & tables(database_url)
    assert migrate.current_revision(database_url) is None

    migrate.upgrade(database_url)
    assert schema(database_url) == first


def test_the_newest_file_is_alembics_head() -> None:
    # `upgrade` skips Alembic when the database is at `newest_revision`, so the two must agree.
    assert migrate.newest_revision() == HEAD


def test_upgrade_is_idempotent(database_url: str) -> None:
    migrate.upgrade(database_url)
    before = schema(database_url)
    migrate.upgrade(database_url)
    assert schema(database_url) == before


def test_runtime_settings_default_to_draft_only(database_url: str) -> None:
    migrate.upgrade(database_url)
    with psycopg.connect(database_url) as conn:
        rows = dict(conn.execute("SELECT key, value FROM runtime_settings").fetchall())
    assert rows == {"mode": "DRAFT_ONLY", "kill_switch": False}


def test_audit_log_is_append_only_and_chained(database_url: str) -> None:
    migrate.upgrade(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        for action in ("first", "second"):
            conn.execute("INSERT INTO audit_log (actor, action) VALUES ('test', %s)", (action,))
        rows = conn.execute(
            "SELECT prev_hash, hash FROM audit_log ORDER BY id DESC LIMIT 2"
        ).fetchall()
        assert rows[0][0] == rows[1][1], "each row chains onto the previous row's hash"
        for statement in ("UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(statement)
