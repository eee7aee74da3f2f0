"""The CLI as a user runs it: `demo --json` on the embedded Postgres, and the `db` commands."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import psutil
import psycopg
import pytest
from pgserver.utils import PostmasterInfo

from sales_agent.db import migrate
from sales_agent.db.embedded import embedded_database_url, is_embedded_running

CLI = [sys.executable, "-m", "sales_agent"]


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "200"},
        cwd=cwd,
        timeout=240,
    )


@pytest.mark.slow
def test_demo_json_on_the_embedded_database(
    tmp_path: Path, cli_env: Callable[..., dict[str, str]]
) -> None:
    env = cli_env(SALES_AGENT_DATA_DIR=str(tmp_path / "data"))
    try:
        result = run(["demo", "--json"], env, tmp_path)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)

        assert report["thread_id"] == "gmail:thr-northwind-001"
        assert report["contact_email"] == "priya@northwind-logistics.example"
        assert report["draft"]["subject"].startswith("Re: ")
        assert "Priya" in report["draft"]["body"]
        assert 2 <= len(report["slots"]) <= 3
        assert all(datetime.fromisoformat(slot).tzinfo for slot in report["slots"])
        # The Drive index was built on first use: the candidates are real, shareable files.
        assert report["assets"] and all(0 <= a["score"] <= 1 for a in report["assets"])
        assert report["plan"]["action"] == "PROPOSE_CALL" and report["suppressed"] is False
        assert [task["subject"] for task in report["tasks"]] == [
            f"Follow up: {report['draft']['subject']}"
        ]
        trace = json.loads(Path(tmp_path, report["trace_path"]).read_text())
        assert trace["node_path"][0] == "trigger" and trace["outputs"]["outcome"] == "APPROVED"
        assert report["gmail_draft_id"]
        assert report["gmail"]["thread_id"] == "thr-northwind-001"
        assert report["gmail"]["in_reply_to"].startswith("<PRN.")
        assert report["gate"]["status"] == "PASS"
        assert report["crm_note_id"]
        assert report["outcome"] == "APPROVED"
        assert report["mode"] == "DRAFT_ONLY"
        assert result.stderr == "", "the demo prints nothing but its report"

        # A second demo reuses the database and gives the same draft (a fresh sandbox each run).
        again = json.loads(run(["demo", "--json"], env, tmp_path).stdout)
        assert again["draft"] == report["draft"]

        url = run(["db", "url"], env, tmp_path)
        assert url.returncode == 0 and url.stdout.startswith("postgresql://")
    finally:
        stop = run(["db", "stop"], env, tmp_path)
    assert stop.returncode == 0 and "stopped" in stop.stdout
    assert "was not running" in run(["db", "stop"], env, tmp_path).stdout


def test_db_commands_on_an_external_database(
    database_url: str, tmp_path: Path, cli_env: Callable[..., dict[str, str]]
) -> None:
    env = cli_env(DATABASE_URL=database_url)
    assert run(["db", "url"], env, tmp_path).stdout.strip() == database_url
    up = run(["db", "upgrade"], env, tmp_path)
    assert up.returncode == 0 and f"revision {migrate.head_revision()}" in up.stdout
    down = run(["db", "downgrade", "base"], env, tmp_path)
    assert down.returncode == 0 and "revision base" in down.stdout
    assert "no embedded server" in run(["db", "stop"], env, tmp_path).stdout


def test_demo_text_output_names_where_the_draft_landed(
    database_url: str, tmp_path: Path, cli_env: Callable[..., dict[str, str]]
) -> None:
    result = run(["demo"], cli_env(DATABASE_URL=database_url), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Gmail draft" in result.stdout and "thr-northwind-001" in result.stdout
    assert "Plan: PROPOSE_CALL" in result.stdout and "HubSpot task" in result.stdout
    assert "mode DRAFT_ONLY" in result.stdout and "the draft stays in Gmail" in result.stdout


@pytest.mark.parametrize(
    ("scenario", "action", "outcome"),
    [("unsubscribe", "NO_ACTION", "SUPPRESSED"), ("pricing_question", "SEND_ASSET", "APPROVED")],
)
def test_demo_scenario_json_adds_the_plan_suppression_tasks_and_trace(
    database_url: str,
    tmp_path: Path,
    cli_env: Callable[..., dict[str, str]],
    scenario: str,
    action: str,
    outcome: str,
) -> None:
    env = cli_env(DATABASE_URL=database_url, SALES_AGENT_DATA_DIR=str(tmp_path / "data"))
    result = run(["demo", "--scenario", scenario, "--json"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["scenario"] == scenario and report["plan"]["action"] == action
    assert report["outcome"] == outcome
    assert report["suppressed"] is (scenario == "unsubscribe")
    assert (report["draft"] is None) is (scenario == "unsubscribe")
    assert Path(report["trace_path"]).exists() and isinstance(report["tasks"], list)


def test_demo_names_the_scenarios_when_one_is_unknown(
    database_url: str, tmp_path: Path, cli_env: Callable[..., dict[str, str]]
) -> None:
    result = run(["demo", "--scenario", "nope"], cli_env(DATABASE_URL=database_url), tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: no scenario named 'nope'; choose one of: new_lead")


def test_an_unreachable_database_is_one_clear_line(
    tmp_path: Path, cli_env: Callable[..., dict[str, str]]
) -> None:
    env = cli_env(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    result = run(["db", "upgrade"], env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot reach the database")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_db_stop_stops_the_embedded_server_another_process_holds(
    tmp_path: Path, cli_env: Callable[..., dict[str, str]]
) -> None:
    # This process opens the server and keeps its handle, as a running (or killed) `serve`
    # would; pgserver alone would leave the server up for it.
    data = tmp_path / "data"
    embedded_database_url(data)
    info = PostmasterInfo.read_from_pgdata(data / "postgres")
    assert info is not None and info.is_running()
    postmaster = psutil.Process(info.pid)

    env = cli_env(SALES_AGENT_DATA_DIR=str(data))
    stopped = run(["db", "stop"], env, tmp_path)
    assert stopped.returncode == 0, stopped.stderr
    assert "embedded Postgres stopped" in stopped.stdout
    try:
        postmaster.wait(timeout=30)
    except psutil.TimeoutExpired:
        pytest.fail(f"the postmaster {info.pid} still runs after `db stop`")
    assert not is_embedded_running(data)
    assert "was not running" in run(["db", "stop"], env, tmp_path).stdout

    # This process still holds its handle: asking again starts the server again (a restart,
    # as `bench chaos` does), where pgserver alone would hand back the stopped one.
    with psycopg.connect(embedded_database_url(data)) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert run(["db", "stop"], env, tmp_path).returncode == 0
