"""`sales-agent worker` logs JSON lines, as `serve` does and as the README promises."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "sales_agent"]


def test_the_worker_logs_one_json_object_a_line(
    migrated: str, cli_env: Callable[..., dict[str, str]], tmp_path: Path
) -> None:
    env = cli_env(DATABASE_URL=migrated, SALES_AGENT_DATA_DIR=str(tmp_path / "data"))
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [*CLI, "worker", "--heartbeat", "0.5"], stderr=out, stdout=out, env=env, cwd=tmp_path
        )
    try:
        deadline = time.monotonic() + 60
        while not log.read_text().strip() and worker.poll() is None:
            assert time.monotonic() < deadline, "the worker logged nothing in 60 s"
            time.sleep(0.2)
        time.sleep(1)  # a few more lines: start-up, the first heartbeat
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    assert lines
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON line: {line!r}")
    assert all({"time", "level", "logger", "message", "trace_id"} <= set(e) for e in entries)
    assert any(e["logger"].startswith(("procrastinate", "sales_agent")) for e in entries)
