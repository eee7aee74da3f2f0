"""`sales-agent gate check` as a user runs it: the recipient is looked up as in a run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.policy.suppression import SuppressionReason, suppress

CLI = [sys.executable, "-m", "sales_agent"]
PRIYA = "priya@northwind-logistics.example"
KEYS = [
    "status",
    "risk_score",
    "violations",
    "reason",
    "send_allowed",
    "approval_required",
    "suggestions",
]
GOOD = """Subject: Re: Dispatch flow at Northwind

Hi Priya,

Thanks for the note on dispatch delays at the Leeds cross-dock. A short call is the quickest
way to see where the time goes.

Would Tuesday at 10:00 or Wednesday at 14:00 work for a 30-minute call?

Cheers,
Dana
"""


@pytest.fixture(scope="module")
def env(
    database_url: str,
    cli_env: Callable[..., dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    data = tmp_path_factory.mktemp("data")
    return cli_env(DATABASE_URL=database_url, SALES_AGENT_DATA_DIR=str(data), COLUMNS="200")


def gate(
    env: dict[str, str], tmp_path: Path, text: str, *args: str
) -> subprocess.CompletedProcess[str]:
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    return subprocess.run(
        [*CLI, "gate", "check", str(draft), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=240,
    )


def test_a_good_draft_to_a_crm_contact_passes(env: dict[str, str], tmp_path: Path) -> None:
    result = gate(env, tmp_path, GOOD, "--to", PRIYA, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == KEYS
    assert report["status"] == "PASS"
    assert report["violations"] == []
    assert report["send_allowed"] is False, "the database starts in DRAFT_ONLY"
    assert report["approval_required"] is True
    assert "mode is DRAFT_ONLY" in report["reason"]


def test_another_clients_name_and_a_stranger_fail(env: dict[str, str], tmp_path: Path) -> None:
    leaky = GOOD.replace("goes.", "goes. Halden Foods saved £240k with us.")
    result = gate(env, tmp_path, leaky, "--to", PRIYA, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["status"] == "FAIL"
    assert {v["check"] for v in report["violations"]} == {"confidential"}
    assert report["risk_score"] == 40
    stranger = json.loads(gate(env, tmp_path, GOOD, "--to", "x@evil.example", "--json").stdout)
    assert {v["check"] for v in stranger["violations"]} == {"recipients"}


def test_a_suppressed_contact_fails_and_the_table_says_why(
    env: dict[str, str], conn: Connection[DictRow], tmp_path: Path
) -> None:
    suppress(
        conn,
        value="hannah.whitfield@northwind-logistics.example",
        kind="email",
        reason=SuppressionReason.OPT_OUT,
        actor="test",
    )
    result = gate(
        env,
        tmp_path,
        GOOD.replace("Priya", "Hannah"),
        "--to",
        "hannah.whitfield@northwind-logistics.example",
    )
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "suppression" in result.stdout and "OPT_OUT" in result.stdout


def test_without_a_recipient_only_the_content_is_judged(
    env: dict[str, str], tmp_path: Path
) -> None:
    result = gate(env, tmp_path, GOOD, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "WARN"
    assert [v["check"] for v in report["violations"]] == ["recipients"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Hi Priya,\n\nA body.", "does not start with a 'Subject:' line"),
        ("Subject: Hello\nHi Priya,\n", "needs a blank line after the subject"),
        ("Subject:\n\nHi Priya,\n", "has an empty subject"),
        ("Subject: Hello\n\n\n", "has no body"),
    ],
)
def test_a_malformed_file_is_one_error_line_and_exit_2(
    env: dict[str, str], tmp_path: Path, text: str, problem: str
) -> None:
    result = gate(env, tmp_path, text, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and problem in errors[0]
    assert "Traceback" not in result.stderr
