"""Fixtures for end-to-end runs: the module's services (database + in-process sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from sales_agent.config import Settings
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.runs import FollowupGraph, compile_followup, forget_followup_thread
from sales_agent.services import Services, open_services


@pytest.fixture(scope="module")
def services(settings: Settings) -> Iterator[Services]:
    with open_services(settings) as opened:
        yield opened


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


@pytest.fixture
def audit_start(fresh: Services) -> int:
    """The last audit event id before the test (the log is append-only, so tests share it)."""
    with fresh.pool.connection() as conn:
        row = conn.execute("SELECT coalesce(max(id), 0) AS id FROM audit_log").fetchone()
    assert row is not None
    return int(row["id"])
