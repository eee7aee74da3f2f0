"""The circuit breaker's state machine, on a fake clock."""

from __future__ import annotations

import pytest

from sales_agent.connectors.breaker import (
    BreakerPolicy,
    BreakerState,
    CircuitBreaker,
    CircuitOpenError,
    breaker_for,
)

POLICY = BreakerPolicy(failure_threshold=3, reset_timeout=10.0)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def breaker(clock: FakeClock) -> CircuitBreaker:
    return CircuitBreaker("gmail", clock=clock)


def _fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        breaker.before_call(POLICY)
        breaker.failed(POLICY)


def test_opens_after_consecutive_failures_only(breaker: CircuitBreaker) -> None:
    _fail(breaker, 2)
    breaker.before_call(POLICY)
    breaker.succeeded()  # a success in between starts the count again
    _fail(breaker, 2)
    assert breaker.state is BreakerState.CLOSED

    _fail(breaker, 1)

    assert breaker.state is BreakerState.OPEN


def test_open_fails_fast_saying_when_it_will_retry(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    _fail(breaker, 3)
    clock.now += 4

    with pytest.raises(CircuitOpenError) as error:
        breaker.before_call(POLICY)

    assert error.value.service == "gmail"
    assert error.value.retry_in == pytest.approx(6.0)
    assert error.value.message == (
        "gmail: circuit open after 3 consecutive transient failures; "
        "failing fast, the next attempt goes through in 6.0s"
    )
    assert error.value.code == "connector_circuit_open"


def test_half_open_lets_one_probe_through(breaker: CircuitBreaker, clock: FakeClock) -> None:
    _fail(breaker, 3)
    clock.now += 10

    breaker.before_call(POLICY)  # the probe

    assert breaker.state is BreakerState.HALF_OPEN
    with pytest.raises(CircuitOpenError, match="probe"):
        breaker.before_call(POLICY)  # everyone else waits for its answer
    breaker.succeeded()
    assert breaker.state is BreakerState.CLOSED
    breaker.before_call(POLICY)


def test_failed_probe_reopens_for_a_full_cool_down(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    _fail(breaker, 3)
    clock.now += 10
    _fail(breaker, 1)  # the probe fails

    assert breaker.state is BreakerState.OPEN
    clock.now += 9.9
    with pytest.raises(CircuitOpenError):
        breaker.before_call(POLICY)
    clock.now += 0.1
    breaker.before_call(POLICY)
    assert breaker.state is BreakerState.HALF_OPEN


def test_thresholds_come_from_the_callers_policy(breaker: CircuitBreaker) -> None:
    strict = BreakerPolicy(failure_threshold=1, reset_timeout=10.0)
    breaker.before_call(strict)
    breaker.failed(strict)

    assert breaker.state is BreakerState.OPEN


def test_one_breaker_per_service_per_process() -> None:
    assert breaker_for("drive") is breaker_for("drive")
    assert breaker_for("drive") is not breaker_for("calendar")
