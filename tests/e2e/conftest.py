"""Fixtures for end-to-end runs: the graph on the module's services, the CLI's environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, compile_followup, forget_followup_thread
from sales_agent.services import Services


@pytest.fixture(scope="module")
def graph(services: Services) -> FollowupGraph:
    return compile_followup(services)


@pytest.fixture
def fresh(services: Services) -> Services:
    """Reset the sandbox to its seed and forget every thread and sequence the tests use."""
    assert services.sandbox_url is not None
    httpx.post(f"{services.sandbox_url}/_sandbox/reset", timeout=10).raise_for_status()
    with services.pool.connection() as conn:
        threads = [row["thread_id"] for row in conn.execute("SELECT thread_id FROM drafts")]
        conn.execute("DELETE FROM sequences")  # an approval enrols its lead afresh
    for thread_id in {*threads, "gmail:thr-northwind-001"}:
        forget_followup_thread(services, thread_id)
    return services


@pytest.fixture
def context() -> FollowupContext:
    return FollowupContext(now=datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0))


@pytest.fixture(scope="session")
def cli_env() -> Callable[..., dict[str, str]]:
    """The environment for a CLI subprocess: this one without SALES_AGENT_* or DATABASE_URL.

    Call it with the variables the run needs on top.
    """
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SALES_AGENT_") and k not in ("DATABASE_URL", "OPENAI_API_KEY")
    }
    # Hash embeddings unless a test asks for another provider: no 5 s model load per command.
    return lambda **extra: {**clean, "SALES_AGENT_EMBEDDINGS": "hash", **extra}


CLI = [sys.executable, "-m", "sales_agent"]
RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's working directory for CLI runs (its data folder lives inside)."""
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def cli(database_url: str, cli_env: Callable[..., dict[str, str]], workdir: Path) -> RunCli:
    """Run `sales-agent ARGS` in a subprocess on the module's database, no credentials at all.

    Keyword arguments are extra environment variables for that one run.
    """
    env = cli_env(
        DATABASE_URL=database_url, SALES_AGENT_DATA_DIR=str(workdir / "data"), COLUMNS="200"
    )

    def run(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CLI, *args],
            capture_output=True,
            text=True,
            env={**env, **extra_env},
            cwd=workdir,
            timeout=240,
        )

    return run
