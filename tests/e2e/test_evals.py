"""`sales-agent eval run` records traces and scores them; `eval replay` re-scores them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

DATASET = Path(__file__).parents[2] / "evals" / "datasets" / "followup_smoke.jsonl"
CLI = [sys.executable, "-m", "sales_agent", "eval"]


@pytest.fixture(scope="module")
def env(database_url: str, cli_env: Callable[..., dict[str, str]]) -> dict[str, str]:
    return cli_env(DATABASE_URL=database_url, COLUMNS="250")


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=240
    )


def test_run_then_replay(env: dict[str, str], tmp_path: Path) -> None:
    traces = tmp_path / "traces"
    result = run(["run", "--dataset", str(DATASET), "--traces", str(traces)], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    [trace_file] = traces.glob("*.jsonl")
    records = [json.loads(line) for line in trace_file.read_text().splitlines()]
    assert [r["scenario"] for r in records] == [
        "gmail_reply_meeting_request",
        "form_submission_new_lead",
        "manual_outreach_edited",
    ]
    first = records[0]
    path = first["node_path"]
    assert path[:3] == ["trigger", "resolve_identity", "policy_precheck"]
    # The four gatherers ran (in parallel, so in any order) before the planner.
    gatherers = {"read_thread", "recall_memory", "find_assets", "propose_slots"}
    assert set(path[3:7]) == gatherers and path[7] == "plan_next_step"
    assert path[-3:] == ["await_approval", "deliver", "record_outcome"]
    assert {t["status"] for t in first["node_ms"]} == {"ok", "interrupted"}
    assert first["outputs"]["gate"]["status"] == "PASS"
    assert records[2]["outputs"]["outcome"] == "EDITED"

    replayed = run(["replay", str(traces)], env, tmp_path)
    assert replayed.returncode == 0, replayed.stdout
    assert replayed.stdout.count("pass") == result.stdout.count("pass") > 0

    # A recorded trace whose draft breaks a hard constraint fails the replay (exit 1).
    broken = dict(first)
    broken["outputs"] = {**first["outputs"], "draft": {**first["outputs"]["draft"]}}
    broken["outputs"]["draft"]["body"] += " Or shall we meet on Friday?"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(broken) + "\n")
    failed = run(["replay", str(bad)], env, tmp_path)
    assert failed.returncode == 1
    assert "FAIL" in failed.stdout and "2 CTAs" in failed.stdout


def test_a_malformed_dataset_names_the_line(env: dict[str, str], tmp_path: Path) -> None:
    dataset = tmp_path / "bad.jsonl"
    dataset.write_text('{"name": "x", "input": {"trigger": {"source": "fax"}}}\n')
    result = run(["run", "--dataset", str(dataset)], env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {dataset}:1: not a valid scenario")
