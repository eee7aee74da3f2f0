"""Client-side pacing on a fake clock: budgets per window, Gmail's quota units."""

from __future__ import annotations

import threading
import time

import pytest

from sales_agent.connectors.pacing import (
    GMAIL_QUOTA_UNITS,
    SlidingWindowLimiter,
    limiter_for,
    request_cost,
)


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def test_hubspot_budget_allows_100_requests_per_10_seconds(fake: FakeTime) -> None:
    limiter = SlidingWindowLimiter(100, 10.0, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _ in range(250):
        limiter.acquire()
        starts.append(fake.now)

    assert starts[99] == 0.0 and starts[100] == pytest.approx(10.0)
    assert starts[-1] == pytest.approx(20.0)
    for index in range(len(starts) - 100):
        # The window is rolling: the 101st request after any request is 10 s later or more.
        assert starts[index + 100] - starts[index] >= 10.0 - 1e-9


def test_waits_only_as_long_as_the_oldest_units_take_to_expire(fake: FakeTime) -> None:
    limiter = SlidingWindowLimiter(250, 1.0, clock=fake.clock, sleep=fake.sleep)
    limiter.acquire(100)
    fake.now = 0.4
    limiter.acquire(100)
    fake.now = 0.5

    waited = limiter.acquire(100)  # 300 > 250: wait until the first 100 expire at t=1.0

    assert waited == pytest.approx(0.5)
    assert fake.sleeps == [pytest.approx(0.5)]
    assert limiter.acquire(100) == pytest.approx(0.4)  # the t=0.4 batch expires at 1.4


def test_costs_outside_the_budget_are_refused(fake: FakeTime) -> None:
    limiter = SlidingWindowLimiter(10, 1.0, clock=fake.clock, sleep=fake.sleep)
    with pytest.raises(ValueError, match="between 1 and the limit 10"):
        limiter.acquire(11)
    with pytest.raises(ValueError):
        limiter.acquire(0)
    with pytest.raises(ValueError):
        SlidingWindowLimiter(0, 1.0)


def test_gmail_quota_units_per_method() -> None:
    assert request_cost("gmail.users.messages.get") == 5
    assert request_cost("gmail.users.threads.get") == 10
    assert request_cost("gmail.users.drafts.create") == 10
    assert request_cost("gmail.users.messages.send") == 100
    assert request_cost("gmail.users.history.list") == 2
    assert request_cost("gmail.users.settings.filters.list") == 10  # unlisted: conservative
    assert request_cost("calendar.freebusy.query") == 1
    assert request_cost(None) == 1
    assert all(units <= 250 for units in GMAIL_QUOTA_UNITS.values())


def test_budgets_per_service_are_shared_in_the_process() -> None:
    gmail = limiter_for("gmail")
    hubspot = limiter_for("hubspot")
    assert gmail is not None and hubspot is not None
    assert (gmail.limit, gmail.period) == (250, 1.0)
    assert (hubspot.limit, hubspot.period) == (100, 10.0)
    assert limiter_for("gmail") is gmail
    assert limiter_for("calendar") is None


def test_threads_share_one_budget() -> None:
    limiter = SlidingWindowLimiter(20, 0.2)
    starts: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(15):
            limiter.acquire()
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    starts.sort()
    assert len(starts) == 60
    assert starts[-1] - starts[0] >= 0.4  # 60 calls at 20 per 0.2 s need two more windows
    for index in range(len(starts) - 20):
        assert starts[index + 20] - starts[index] >= 0.2 - 0.01
