"""`sales-agent eval run` records traces and scores them; `eval replay` re-scores them;
`eval report` writes the results into the report."""

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


def test_run_replay_report(env: dict[str, str], tmp_path: Path) -> None:
    traces = tmp_path / "traces"
    # The smoke set's edited case scores the operator's own edit: gate the hard constraints.
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text('[gate.pass_rate]\n"hard.one_cta" = 1.0\n"hard.completed" = 1.0\n')
    args = ["--thresholds", str(thresholds)]
    result = run(
        ["run", "--dataset", str(DATASET), "--traces", str(traces), "--json", *args], env, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)
    assert summary["cases"] == 3 and summary["gate"]["passed"]
    assert summary["pass_rates"]["hard.one_cta"]["rate"] == 1.0
    [run_dir] = traces.iterdir()
    [trace_file] = run_dir.glob("*.jsonl")
    records = [json.loads(line) for line in trace_file.read_text().splitlines()]
    assert [r["case"] for r in records] == [
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
    assert first["now"].startswith("2026-03-02T09:00")  # the eval clock, not the wall clock
    assert records[2]["outputs"]["outcome"] == "EDITED"

    replayed = run(["replay", str(run_dir), "--json", *args], env, tmp_path)
    assert replayed.returncode == 0, replayed.stdout
    assert json.loads(replayed.stdout)["pass_rates"] == summary["pass_rates"]

    # A recorded trace whose draft breaks a hard constraint fails the replay (exit 1).
    broken = dict(first)
    broken["outputs"] = {**first["outputs"], "draft": {**first["outputs"]["draft"]}}
    broken["outputs"]["draft"]["body"] += " Or shall we meet on Friday?"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(broken) + "\n")
    failed = run(["replay", str(bad), *args], env, tmp_path)
    assert failed.returncode == 1
    assert "FAIL hard.one_cta gmail_reply_meeting_request: 2 CTAs" in failed.stdout
    assert "below the gate" in failed.stdout

    report = tmp_path / "EVALS.md"
    written = run(["report", str(run_dir), "--output", str(report), *args], env, tmp_path)
    assert written.returncode == 0, written.stdout + written.stderr
    text = report.read_text()
    assert "## Results" in text and "| `hard.one_cta` |" in text
    assert str(tmp_path) not in text  # trace paths are relative to where it ran


def test_a_malformed_dataset_names_the_line(env: dict[str, str], tmp_path: Path) -> None:
    dataset = tmp_path / "bad.jsonl"
    dataset.write_text('{"name": "x", "input": {"trigger": {"source": "fax"}}}\n')
    result = run(["run", "--dataset", str(dataset)], env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {dataset}:1: not a valid dataset line")


def test_langsmith_without_a_key_says_what_is_missing(env: dict[str, str], tmp_path: Path) -> None:
    clean = {k: v for k, v in env.items() if not k.startswith("LANGSMITH_")}
    result = run(["run", "--dataset", str(DATASET), "--langsmith"], clean, tmp_path)
    assert result.returncode == 2
    assert "needs LANGSMITH_API_KEY" in result.stderr
