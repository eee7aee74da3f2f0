"""`sales-agent admin suppression` and `admin quotas` as a user runs them, on the test database."""

from __future__ import annotations

import getpass
import json
import subprocess
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.policy.quotas import reserve

if TYPE_CHECKING:
    from conftest import AuditTail

CLI = [sys.executable, "-m", "sales_agent"]


@pytest.fixture(scope="module")
def env(
    migrated: str,
    cli_env: Callable[..., dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    data_dir = str(tmp_path_factory.mktemp("data"))
    return cli_env(DATABASE_URL=migrated, SALES_AGENT_DATA_DIR=data_dir)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "admin", *args],
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "200"},
        timeout=120,
    )


def run_json(env: dict[str, str], *args: str) -> Any:
    result = run(env, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def audit_changes(audit_tail: AuditTail) -> list[tuple[str, str, str]]:
    return [(e["action"], e["actor"], e["reason"]) for e in audit_tail.events()]


def test_suppression_commands(env: dict[str, str], audit_tail: AuditTail) -> None:
    added = run(
        env, "suppression", "add", "Priya@Northwind.example", "--reason", "OPT_OUT",
        "--note", "asked by phone", "--actor", "dana",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith(
        "suppressed: email priya@northwind.example (OPT_OUT, cli: asked by phone) until "
    )
    domain = run(env, "suppression", "add", "ACME.example", "--reason", "MANUAL")
    assert domain.returncode == 0, domain.stderr

    blocked = run(env, "suppression", "check", "Bob@mail.acme.example")
    assert blocked.returncode == 1
    assert (
        "bob@mail.acme.example: suppressed by domain acme.example (MANUAL, cli)" in blocked.stdout
    )
    free = run(env, "suppression", "check", "someone@else.example")
    assert (free.returncode, free.stdout) == (0, "someone@else.example: not suppressed\n")

    listed = run_json(env, "suppression", "list")
    assert [(e["kind"], e["value"], e["reason"]) for e in listed] == [
        ("domain", "acme.example", "MANUAL"),
        ("email", "priya@northwind.example", "OPT_OUT"),
    ]
    table = run(env, "suppression", "list")
    assert "priya@northwind.example" in table.stdout and "OPT_OUT" in table.stdout

    again = run(env, "suppression", "add", "priya@northwind.example", "--reason", "BOUNCED")
    assert again.stdout.startswith("renewed: email priya@northwind.example (OPT_OUT")

    removed = run(env, "suppression", "remove", "acme.example", "--reason", "wrong company")
    assert (removed.returncode, removed.stdout) == (
        0,
        "removed: domain acme.example (was MANUAL)\n",
    )
    assert run(env, "suppression", "check", "bob@mail.acme.example").returncode == 0

    me = getpass.getuser()
    assert audit_changes(audit_tail) == [
        ("suppressed", "dana", "OPT_OUT"),
        ("suppressed", me, "MANUAL"),
        ("suppression_renewed", me, "BOUNCED"),
        ("unsuppressed", me, "wrong company"),
    ]


def test_suppression_mistakes_are_one_line_errors(env: dict[str, str]) -> None:
    missing = run(env, "suppression", "remove", "nobody.example", "--reason", "tidy")
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: 'nobody.example' is not on the suppression list")
    bad_reason = run(env, "suppression", "add", "a@b.example", "--reason", "LOUD")
    assert bad_reason.returncode == 2 and "LOUD" in bad_reason.stderr
    bad_value = run(env, "suppression", "add", "not-a-domain", "--reason", "MANUAL")
    assert bad_value.returncode == 2
    assert bad_value.stderr == "error: 'not-a-domain' is not a domain: pass one like example.com\n"
    no_reason = run(env, "suppression", "remove", "a@b.example")
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr


def test_quota_commands(
    env: dict[str, str], conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    limited = run(
        env, "quotas", "set-limits", "--global-daily", "3", "--contact-7-days", "2",
        "--reason", "pilot week", "--actor", "dana",
    )  # fmt: skip
    assert limited.returncode == 0, limited.stderr
    assert "global_daily=3 global_weekly=200 contact_7_days=2 " in limited.stdout
    kept = run(env, "quotas", "set-limits", "--story-daily", "5", "--reason", "stories")
    assert "global_daily=3 " in kept.stdout and "story_daily=5 " in kept.stdout

    for key in ("a", "b"):
        reserve(conn, kind="followup", contact_email="p@n.example", idempotency_key=key)

    status = {q["quota_type"]: q for q in run_json(env, "quotas", "status")}
    assert set(status) == {
        "global_daily",
        "global_weekly",
        "contact_7_days",
        "contact_weekly",
        "story_daily",
        "story_contact_14_days",
        "story_execution",
    }
    assert {k: status["global_daily"][k] for k in ("limit", "used", "remaining")} == {
        "limit": 3,
        "used": 2,
        "remaining": 1,
    }
    assert status["global_daily"]["reset_at"] is not None
    assert status["contact_7_days"]["used"] is None
    contact = {
        q["quota_type"]: q for q in run_json(env, "quotas", "status", "--contact", "P@n.example")
    }
    assert (contact["contact_7_days"]["used"], contact["contact_7_days"]["remaining"]) == (2, 0)
    table = run(env, "quotas", "status")
    assert (
        table.returncode == 0 and "global_daily" in table.stdout and "Europe/London" in table.stdout
    )

    reset = run(env, "quotas", "reset", "--reason", "pilot over", "--actor", "dana")
    assert (reset.returncode, reset.stdout) == (
        0,
        "released 2 ledger rows: every quota reads zero\n",
    )
    assert all(q["used"] in (0, None) for q in run_json(env, "quotas", "status"))

    assert audit_changes(audit_tail) == [
        ("quota_limits_changed", "dana", "pilot week"),
        ("quota_limits_changed", getpass.getuser(), "stories"),
        ("quotas_reset", "dana", "pilot over"),
    ]


def test_quota_mistakes_are_refused(env: dict[str, str]) -> None:
    nothing = run(env, "quotas", "set-limits", "--reason", "r")
    assert nothing.returncode == 2 and "pass at least one limit" in nothing.stderr
    negative = run(env, "quotas", "set-limits", "--global-daily", "-1", "--reason", "r")
    assert negative.returncode == 2 and "--global-daily" in negative.stderr
    no_reason = run(env, "quotas", "reset")
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    blank = run(env, "quotas", "reset", "--reason", " ")
    assert blank.returncode == 2 and blank.stderr.startswith("error: ")
