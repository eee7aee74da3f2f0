"""`sales-agent check-connections` reports each service, and fails when one is down."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "sales_agent", "check-connections", "--json"]


def run(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALES_AGENT_")}
    return subprocess.run(
        CLI, capture_output=True, text=True, env={**env, **extra}, cwd=tmp_path, timeout=120
    )


def test_every_service_answers_on_the_sandbox(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [s["service"] for s in report] == ["gmail", "calendar", "drive", "hubspot"]
    assert all(s["reachable"] and s["authorized"] for s in report)
    assert all(s["target"].startswith("sandbox http://127.0.0.1:") for s in report)


def test_a_service_that_is_down_is_reported_unreachable(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    result = run(tmp_path, SALES_AGENT_SANDBOX_URL=closed)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert {s["status"] for s in report} == {"unreachable"}
    assert all(not s["reachable"] for s in report)
