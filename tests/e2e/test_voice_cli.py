"""`sales-agent voice` as an operator runs it: no credentials, the sandbox started in-process."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CLI = [sys.executable, "-m", "sales_agent"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voice-cli")


@pytest.fixture(scope="module")
def cli(database_url: str, cli_env: Callable[..., dict[str, str]], workdir: Path) -> Any:
    env = cli_env(
        DATABASE_URL=database_url, SALES_AGENT_DATA_DIR=str(workdir / "data"), COLUMNS="200"
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CLI, *args], capture_output=True, text=True, env=env, cwd=workdir, timeout=240
        )

    return run


@pytest.fixture(scope="module")
def learned(cli: Any, workdir: Path) -> Path:
    output = workdir / "profile.json"
    result = cli("voice", "learn", "--limit", "200", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "voice profile v1" in result.stdout and "held-out coverage" in result.stdout
    return output


def test_learn_writes_a_valid_profile(cli: Any, learned: Path) -> None:
    profile = json.loads(learned.read_text())
    assert profile["version"] == 1 and profile["greeting"] == "Hi {first_name},"
    assert profile["metrics"]["train_emails"] + profile["metrics"]["held_out_emails"] == 200

    result = cli("voice", "validate", str(learned), "--json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["ok"] and report["pii"] == [] and report["schema_errors"] == []
    assert report["metrics"]["coverage"] > 0.9
    assert report["pattern_confidence"]["high"] > 0


def test_validate_fails_on_pii_and_on_schema_errors(cli: Any, learned: Path, workdir: Path) -> None:
    profile = json.loads(learned.read_text())
    leaky = workdir / "leaky.json"
    leaky.write_text(json.dumps({**profile, "value_lines": ["Call Priya on +44 20 7946 0321."]}))
    result = cli("voice", "validate", str(leaky), "--json")
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)["pii"]
    assert finding["path"] == "value_lines[0]" and "[PHONE]" in finding["kinds"]

    broken = workdir / "broken.json"
    broken.write_text(json.dumps({**profile, "version": 0}))
    result = cli("voice", "validate", str(broken))
    assert result.returncode == 1 and "schema" in result.stdout


def test_show_and_stats_read_the_stored_version(cli: Any, learned: Path) -> None:
    shown = json.loads(cli("voice", "show", "--json").stdout)
    assert shown == json.loads(learned.read_text())

    stats = cli("voice", "stats", "--json")
    [version] = json.loads(stats.stdout)
    assert version["version"] == 1 and version["metrics"]["coverage"] > 0.9
    table = cli("voice", "stats").stdout
    assert "coverage" in table and "%" in table


def test_refresh_without_feedback_keeps_the_version(cli: Any, learned: Path) -> None:
    result = cli("voice", "refresh")
    assert result.returncode == 0 and "voice profile v1" in result.stdout
