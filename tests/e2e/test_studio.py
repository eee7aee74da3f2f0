"""`langgraph dev` serves the project's `langgraph.json` offline: every graph, and our routes.

This runs the real CLI (the server LangGraph Studio talks to) as a subprocess from the repo
root, where `langgraph.json` and the relative graph path in it resolve. Every call it would
make beyond loopback is switched off in its environment, so the test passes without a network.
Our routes (`http.app`) open their services on the module's database and sandbox, as
`serve` does in tests/live_server.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from live_server import free_port, operator_key, server_env
from sales_agent.services import Services

REPO_ROOT = Path(__file__).parents[2]
# Each graph `langgraph.json` exports, with nodes its drawing must show.
EXPECTED_GRAPHS = {
    "followup": {"trigger", "await_approval", "record_outcome"},
    "story_pitch": {"story_target", "write_pitch", "approve_pitches", "record_story_outcome"},
    "voice_learning": {"fetch_sent", "clean", "learn", "validate", "store", "export"},
}

STARTUP_TIMEOUT_S = 90.0
SHUTDOWN_TIMEOUT_S = 15.0

# The in-memory runtime keeps its state in `.langgraph_api/` under the working directory
# (langgraph_runtime_inmem: store.py creates it at import, database.py and checkpoint.py write
# there on shutdown). The folder is not configurable, only its location via the cwd.
STATE_DIR = REPO_ROOT / ".langgraph_api"

# Inherited variables with these prefixes could turn tracing, usage reporting or OTLP export
# on (e.g. LANGSMITH_API_KEY alone enables tracing and the usage beacon), so none is passed on.
SCRUBBED_PREFIXES = ("LANGSMITH_", "LANGCHAIN_", "LANGGRAPH_", "OTEL_")

OFFLINE_ENV = {
    # langgraph_cli/analytics.py (`log_command`): each CLI command otherwise posts usage
    # analytics from a background thread.
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    # langgraph_api/cli.py (`run_server`): otherwise a thread asks the package index whether a
    # newer langgraph-api exists.
    "LANGGRAPH_NO_VERSION_CHECK": "true",
    # langgraph_api/config (`TRACING`) and langsmith.utils.tracing_is_enabled: explicit off, so
    # no LangSmith client is created for the Studio URL or for runs.
    "LANGSMITH_TRACING": "false",
    # langgraph_api/logging.py: keep the captured log (shown only on failure) short and plain.
    "LOG_LEVEL": "WARNING",
    "LOG_COLOR": "false",
}


def _offline_env(services: Services, data_dir: Path) -> dict[str, str]:
    """The test's environment, offline, with our routes on the module's database and sandbox."""
    env = server_env(services, data_dir)
    return {k: v for k, v in env.items() if not k.startswith(SCRUBBED_PREFIXES)} | OFFLINE_ENV


def _start_server(port: int, log_path: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`langgraph dev` in its own process group, all output appended to `log_path`.

    `--no-reload` keeps it a single process that ignores edits made while the test runs;
    `--no-browser` also skips the LangSmith organisation lookup done for the browser URL.
    """
    langgraph = Path(sys.executable).with_name("langgraph")
    command = [
        str(langgraph),
        "dev",
        "--no-browser",
        "--no-reload",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log_path.open("wb") as log:
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop_server(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group (the server shuts down cleanly), then SIGKILL what is left.

    The SIGKILL also reaches children the leader may have left behind after exiting.
    """
    _signal_group(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=SHUTDOWN_TIMEOUT_S)
    _signal_group(process.pid, signal.SIGKILL)
    process.wait(timeout=5.0)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _wait_until_ready(process: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    """Poll `GET /ok` until it answers 200; fail with the server's output otherwise."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    with httpx.Client(base_url=base_url, timeout=2.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(
                    f"langgraph dev exited with {process.returncode} before it was ready:\n"
                    + log_path.read_text(errors="replace")
                )
            try:
                if client.get("/ok").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.25)
    pytest.fail(
        f"langgraph dev was not ready within {STARTUP_TIMEOUT_S:.0f}s:\n"
        + log_path.read_text(errors="replace")
    )


@pytest.fixture
def langgraph_dev(tmp_path: Path, services: Services) -> Iterator[str]:
    """Base URL of a running `langgraph dev`; stopped, and its state removed, afterwards.

    `.langgraph_api/` is removed only if this test created it: a pre-existing one belongs to
    a developer's own Studio session.
    """
    state_dir_existed = STATE_DIR.exists()
    port = free_port()
    log_path = tmp_path / "langgraph-dev.log"
    process = _start_server(port, log_path, _offline_env(services, tmp_path / "data"))
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_ready(process, base_url, log_path)
        yield base_url
    finally:
        _stop_server(process)
        if not state_dir_existed:
            shutil.rmtree(STATE_DIR, ignore_errors=True)


def _drawn_nodes(client: httpx.Client, graph_id: str) -> set[str]:
    """The node ids of the graph's assistant drawing (drawing proves it was compiled)."""
    search = client.post("/assistants/search", json={"graph_id": graph_id})
    search.raise_for_status()
    assistants = [a for a in search.json() if a["graph_id"] == graph_id]
    assert assistants, f"no assistant for graph {graph_id!r}: {search.json()}"
    drawing = client.get(f"/assistants/{assistants[0]['assistant_id']}/graph")
    drawing.raise_for_status()
    return {node["id"] for node in drawing.json()["nodes"]}


@pytest.mark.slow
def test_langgraph_dev_lists_every_graph(langgraph_dev: str) -> None:
    with httpx.Client(base_url=langgraph_dev, timeout=10.0, trust_env=False) as client:
        search = client.post("/assistants/search", json={"limit": 100})
        search.raise_for_status()
        listed = {a["graph_id"] for a in search.json()}
        drawn = {graph_id: _drawn_nodes(client, graph_id) for graph_id in EXPECTED_GRAPHS}

    assert listed == set(EXPECTED_GRAPHS), f"langgraph dev lists {sorted(listed)}"
    for graph_id, nodes in EXPECTED_GRAPHS.items():
        assert drawn[graph_id] >= nodes, f"{graph_id} misses nodes {nodes - drawn[graph_id]}"


@pytest.mark.slow
def test_langgraph_dev_serves_our_routes_next_to_its_own(
    langgraph_dev: str, services: Services
) -> None:
    key = operator_key(services)
    with httpx.Client(base_url=langgraph_dev, timeout=10.0, trust_env=False) as client:
        page = client.get("/inbox")
        anonymous = client.get("/api/drafts")
        keyed = client.get("/api/drafts", headers={"x-api-key": key})
        oversized = client.post("/api/session", content=b"x" * (2 << 20))
        health = client.get("/health")
        # The platform's own API needs no key of ours (Studio sends none).
        search = client.post("/assistants/search", json={"limit": 100})

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>Inbox · sales-agent</title>" in page.text
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "missing_credentials")
    assert keyed.status_code == 200, keyed.text
    assert keyed.json()["drafts"] == []
    # Our middleware runs on our routes: the trace header, and the body limit before auth.
    assert keyed.headers["x-request-id"]
    assert (oversized.status_code, oversized.json()["code"]) == (413, "payload_too_large")
    assert health.json() == {"status": "ok"}
    assert search.status_code == 200, search.text
    assert {a["graph_id"] for a in search.json()} == set(EXPECTED_GRAPHS)
