"""Many workers reserving at once never exceed a quota: exactly `limit` succeed, the rest refuse.

Each thread has its own connection (its own backend and transaction), and a barrier releases
them together so the reservations really overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import Connection
from psycopg.rows import DictRow, dict_row

from sales_agent.policy.quotas import QuotaExceeded, QuotaLimits, reserve, set_limits

WORKERS = 40
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def conn(conn: Connection[DictRow]) -> Connection[DictRow]:
    conn.execute("DELETE FROM send_ledger")
    return conn


def race(url: str, attempt: Callable[[Connection[DictRow], int], int]) -> list[int | str]:
    """Run `attempt` in WORKERS threads at once; each result is an id or a refused quota."""
    barrier = threading.Barrier(WORKERS)

    def worker(index: int) -> int | str:
        with psycopg.connect(url, autocommit=True, row_factory=dict_row) as own:
            barrier.wait(timeout=60)
            try:
                return attempt(own, index)
            except QuotaExceeded as refusal:
                return refusal.quota_type

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(worker, range(WORKERS)))


def statuses(conn: Connection[DictRow]) -> list[str]:
    return [row["status"] for row in conn.execute("SELECT status FROM send_ledger")]


def test_parallel_reservations_for_one_contact_stop_at_its_limit(
    migrated: str, conn: Connection[DictRow]
) -> None:
    set_limits(
        conn,
        limits=QuotaLimits(contact_7_days=5, contact_weekly=5),
        actor="test",
        reason="concurrency test",
    )

    results = race(
        migrated,
        lambda own, i: reserve(
            own, kind="followup", contact_email="p@n.example", idempotency_key=f"c{i}", now=NOW
        ),
    )

    assert sum(isinstance(r, int) for r in results) == 5
    assert sorted(r for r in results if isinstance(r, str)) == ["contact_7_days"] * 35
    assert statuses(conn) == ["reserved"] * 5


def test_parallel_reservations_across_contacts_stop_at_the_global_limit(
    migrated: str, conn: Connection[DictRow]
) -> None:
    set_limits(conn, limits=QuotaLimits(global_daily=7), actor="test", reason="concurrency test")

    results = race(
        migrated,
        lambda own, i: reserve(
            own, kind="followup", contact_email=f"c{i}@n.example", idempotency_key=f"g{i}", now=NOW
        ),
    )

    assert sum(isinstance(r, int) for r in results) == 7
    assert sorted(r for r in results if isinstance(r, str)) == ["global_daily"] * 33
    assert len(statuses(conn)) == 7


def test_parallel_retries_of_one_key_reserve_once(migrated: str, conn: Connection[DictRow]) -> None:
    set_limits(conn, limits=QuotaLimits(), actor="test", reason="concurrency test")

    results = race(
        migrated,
        lambda own, i: reserve(
            own, kind="followup", contact_email="p@n.example", idempotency_key="same", now=NOW
        ),
    )

    assert len(set(results)) == 1 and isinstance(results[0], int)
    assert statuses(conn) == ["reserved"]
