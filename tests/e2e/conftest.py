"""Fixtures for end-to-end runs: the graph on the module's services, the CLI's environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from sales_agent.graph.context import FollowupContext
from sales_agent.graph.runs import FollowupGraph, compile_followup, forget_followup_thread
from sales_agent.services import Services


@pytest.fixture(scope="module")
def graph(services: Services) -> FollowupGraph:
    return compile_followup(services)


@pytest.fixture
def fresh(services: Services) -> Services:
    """Reset the sandbox to its seed and forget every thread the tests use."""
    assert services.sandbox_url is not None
    httpx.post(f"{services.sandbox_url}/_sandbox/reset", timeout=10).raise_for_status()
    with services.pool.connection() as conn:
        threads = [row["thread_id"] for row in conn.execute("SELECT thread_id FROM drafts")]
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
