"""`sales-agent admin` and `sales-agent audit` as an operator runs them, on a real database."""

from __future__ import annotations

import csv
import getpass
import importlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.policy.audit import record_event

REPOSITORY = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def conn(module_conn: Connection[DictRow]) -> Connection[DictRow]:
    """The module's tests share one connection."""
    return module_conn


def audit_rows(conn: Connection[DictRow], action: str) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT actor, reason, metadata FROM audit_log WHERE action = %s ORDER BY id", [action]
    ).fetchall()


def test_mode_and_kill_switch(cli: Any, conn: Connection[DictRow]) -> None:
    assert cli("admin", "mode").stdout == "mode: DRAFT_ONLY\n"

    no_reason = cli("admin", "mode", "set", "SEND_ALLOWED")
    assert no_reason.returncode == 2 and "Missing option '--reason'" in no_reason.stderr
    assert cli("admin", "mode", "set", "SENDING", "--reason", "x").returncode == 2

    changed = cli("admin", "mode", "set", "SEND_ALLOWED", "--reason", "pilot", "--actor", "dana")
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout == "mode: SEND_ALLOWED (was DRAFT_ONLY)\n"
    assert cli("admin", "mode", "show").stdout == "mode: SEND_ALLOWED\n"
    assert audit_rows(conn, "mode_changed") == [
        {
            "actor": "dana",
            "reason": "pilot",
            "metadata": {"from": "DRAFT_ONLY", "to": "SEND_ALLOWED"},
        }
    ]

    on = cli("admin", "kill-switch", "on", "--reason", "bad drafts")
    assert on.returncode == 0 and "ENGAGED" in on.stdout
    assert cli("admin", "kill-switch").stdout == "kill switch: ENGAGED (no external writes)\n"
    assert cli("admin", "kill-switch", "off", "--reason", "fixed").stdout == "kill switch: off\n"
    assert cli("admin", "kill-switch", "status").stdout == "kill switch: off\n"
    # Without --actor, the OS user made the change.
    engaged, released = (
        audit_rows(conn, "kill_switch_engaged"),
        audit_rows(conn, "kill_switch_released"),
    )
    assert [(r["actor"], r["reason"]) for r in engaged + released] == [
        (getpass.getuser(), "bad drafts"),
        (getpass.getuser(), "fixed"),
    ]


def test_flags(cli: Any, conn: Connection[DictRow]) -> None:
    changed = cli(
        "admin", "flags", "set", "story_pitch_enabled", "--enabled", "--rollout", "30",
        "--reason", "pilot", "--actor", "dana",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout == "STORY_PITCH_ENABLED: enabled, rollout 30%\n"

    listed = json.loads(cli("admin", "flags", "list", "--json").stdout)
    assert {f["name"]: (f["enabled"], f["rollout_percent"]) for f in listed} == {
        "AUTO_SEND_FOLLOWUP": (False, 100),
        "LONG_MEMORY_ENABLED": (True, 100),
        "STORY_PITCH_ENABLED": (True, 30),
    }
    table = cli("admin", "flags").stdout
    assert "STORY_PITCH_ENABLED" in table and "30" in table

    unknown = cli("admin", "flags", "set", "NOPE", "--enabled", "--reason", "r")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("error: unknown feature flag 'NOPE'; known flags:")
    assert cli("admin", "flags", "set", "AUTO_SEND_FOLLOWUP", "--reason", "r").returncode == 2
    assert (
        cli(
            "admin", "flags", "set", "AUTO_SEND_FOLLOWUP", "--rollout", "101", "--reason", "r"
        ).returncode
        == 2
    )
    assert [r["actor"] for r in audit_rows(conn, "flag_changed")] == ["dana"]


def test_guardrails(cli: Any, conn: Connection[DictRow], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPOSITORY))
    cast = importlib.import_module("scripts.workspace.cast").CAST
    brightwater = cast.contacts_at("2003")[0].email

    added = cli(
        "admin", "guardrails", "add", "ALLOWED_COMPANY_STAGE", '["Series A", "Series B"]',
        "--reason", "early stage only", "--description", "ICP",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added guardrail ")
    assert added.stdout.endswith(': ALLOWED_COMPANY_STAGE ["Series A", "Series B"]\n')
    rule_id = added.stdout.split()[2].rstrip(":")

    bad_json = cli("admin", "guardrails", "add", "ALLOWED_INDUSTRY", "[Retail]", "--reason", "r")
    assert bad_json.returncode == 2 and "is not valid JSON" in bad_json.stderr
    bad_value = cli(
        "admin", "guardrails", "add", "EMPLOYEE_RANGE", '{"min": 9, "max": 1}', "--reason", "r"
    )
    assert bad_value.returncode == 2 and "min 9 is above max 1; swap them" in bad_value.stderr

    listed = cli("admin", "guardrails", "list").stdout
    assert "ALLOWED_COMPANY_STAGE" in listed and "ICP" in listed and "EMPLOYEE" not in listed

    allowed = cli("admin", "guardrails", "check", "priya@northwind-logistics.example")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.splitlines() == [
        "priya@northwind-logistics.example: "
        "Northwind Logistics (Series B, Logistics, 180 employees)",
        "allowed: the 1 guardrail passes",
    ]
    refused = cli("admin", "guardrails", "check", brightwater)
    assert refused.returncode == 1
    assert refused.stdout.splitlines()[-1] == (
        "not allowed: Brightwater Health is Series C; allowed stages are Series A, Series B"
    )

    paused = cli("admin", "guardrails", "update", rule_id, "--inactive", "--reason", "pause")
    assert paused.returncode == 0 and paused.stdout.rstrip().endswith("(inactive)")
    assert cli("admin", "guardrails", "check", brightwater).returncode == 0
    removed = cli("admin", "guardrails", "remove", rule_id, "--reason", "done")
    assert removed.returncode == 0 and removed.stdout.startswith(f"removed guardrail {rule_id}:")
    assert cli("admin", "guardrails").stdout == "no guardrail rules: every contact is allowed\n"
    missing = cli("admin", "guardrails", "remove", rule_id, "--reason", "again")
    assert missing.returncode == 2 and f"no guardrail rule {rule_id}" in missing.stderr

    actions = ("guardrail_added", "guardrail_updated", "guardrail_removed")
    assert [len(audit_rows(conn, a)) for a in actions] == [1, 1, 1]


def test_audit_query_export_and_verify(cli: Any, conn: Connection[DictRow], tmp_path: Path) -> None:
    contact = "lead@audit-cli.example"
    ids = [
        record_event(
            conn,
            actor="agent",
            action="drafted",
            contact_email=contact,
            company_id="2001",
            reason=f"n{n}",
        )
        for n in range(5)
    ]

    page = json.loads(
        cli(
            "audit", "query", "--contact", contact, "--page-size", "2", "--page", "2", "--json"
        ).stdout
    )
    assert (page["total"], page["page"], page["page_size"]) == (5, 2, 2)
    assert [e["id"] for e in page["events"]] == ids[2:4]
    assert set(page["events"][0]) >= {
        "id",
        "occurred_at",
        "actor",
        "action",
        "contact_email",
        "company_id",
        "draft_id",
        "reason",
        "metadata",
    }
    text = cli(
        "audit", "query", "--company", "2001", "--since", "2020-01-01", "--until", "2999-12-31"
    )
    assert text.returncode == 0 and "page 1 of 1 (5 events)" in text.stdout
    assert "drafted" in text.stdout
    none = cli("audit", "query", "--contact", contact, "--until", "2020-01-01", "--json")
    assert json.loads(none.stdout)["total"] == 0
    bad_date = cli("audit", "query", "--since", "yesterday")
    assert bad_date.returncode == 2 and "'yesterday' is not a date" in bad_date.stderr

    exported = cli("audit", "export", "--contact", contact)
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [int(r["id"]) for r in rows] == ids
    assert {r["reason"] for r in rows} == {f"n{n}" for n in range(5)}
    target = tmp_path / "audit.csv"
    saved = cli("audit", "export", "--company", "2001", "--output", str(target))
    assert saved.stdout == f"exported 5 events to {target}\n"
    assert target.read_text(encoding="utf-8").replace("\r\n", "\n") == exported.stdout.replace(
        "\r\n", "\n"
    )

    total = conn.execute("SELECT count(*) AS n FROM audit_log").fetchone()
    assert total is not None
    intact = cli("audit", "verify")
    assert (intact.returncode, intact.stdout) == (0, f"chain intact: {total['n']} rows\n")

    _behind_the_triggers_back(conn, "UPDATE audit_log SET reason = 'edited' WHERE id = %s", ids[1])
    broken = cli("audit", "verify")
    assert broken.returncode == 1
    assert broken.stdout.startswith(f"first broken row: {ids[1]} (content changed")
    _behind_the_triggers_back(conn, "UPDATE audit_log SET reason = 'n1' WHERE id = %s", ids[1])
    assert cli("audit", "verify").returncode == 0


def _behind_the_triggers_back(conn: Connection[DictRow], statement: str, row_id: int) -> None:
    """What only a superuser can do: edit the log with the append-only trigger off."""
    with conn.transaction():
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        conn.execute(statement, [row_id])
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
