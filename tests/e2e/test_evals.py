"""`sales-agent eval run` records traces and scores them; `eval replay` re-scores them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DATASET = Path(__file__).parents[2] / "evals" / "datasets" / "followup_smoke.jsonl"
CLI = [sys.executable, "-m", "sales_agent", "eval"]


def run(args: list[str], database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALES_AGENT_")}
    env.update(DATABASE_URL=database_url, COLUMNS="250")
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=240
    )


def test_run_then_replay(database_url: str, tmp_path: Path) -> None:
    traces = tmp_path / "traces"
    result = run(
        ["run", "--dataset", str(DATASET), "--traces", str(traces)], database_url, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [trace_file] = traces.glob("*.jsonl")
    records = [json.loads(line) for line in trace_file.read_text().splitlines()]
    assert [r["scenario"] for r in records] == [
        "gmail_reply_meeting_request",
        "form_submission_new_lead",
        "manual_outreach_edited",
    ]
    first = records[0]
    assert first["node_path"][:3] == ["trigger", "resolve_identity", "read_thread"]
    assert first["node_path"][-1] == "record_outcome"
    assert {t["status"] for t in first["node_ms"]} == {"ok", "interrupted"}
    assert first["outputs"]["gate"]["status"] == "PASS"
    assert records[2]["outputs"]["outcome"] == "EDITED"

    replayed = run(["replay", str(traces)], database_url, tmp_path)
    assert replayed.returncode == 0, replayed.stdout
    assert replayed.stdout.count("pass") == result.stdout.count("pass") > 0

    # A recorded trace whose draft breaks a hard constraint fails the replay (exit 1).
    broken = dict(first)
    broken["outputs"] = {**first["outputs"], "draft": {**first["outputs"]["draft"]}}
    broken["outputs"]["draft"]["body"] += " Or shall we meet on Friday?"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(broken) + "\n")
    failed = run(["replay", str(bad)], database_url, tmp_path)
    assert failed.returncode == 1
    assert "FAIL" in failed.stdout and "2 CTAs" in failed.stdout


def test_a_malformed_dataset_names_the_line(database_url: str, tmp_path: Path) -> None:
    dataset = tmp_path / "bad.jsonl"
    dataset.write_text('{"name": "x", "input": {"trigger": {"source": "fax"}}}\n')
    result = run(["run", "--dataset", str(dataset)], database_url, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {dataset}:1: not a valid scenario")
