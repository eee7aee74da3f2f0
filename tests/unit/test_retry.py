"""The one wrapper: retries, Retry-After, and the breaker in front of each attempt."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from sales_agent.connectors.breaker import (
    BreakerPolicy,
    BreakerState,
    CircuitOpenError,
    breaker_for,
)
from sales_agent.connectors.retry import (
    RetryPolicy,
    TransientConnectorError,
    call_with_retry,
    parse_retry_after,
)
from sales_agent.errors import ConnectorError

SERVICE = "unit-test-service"  # its own breaker; no pacing budget
FAST = RetryPolicy(attempts=4, initial_delay=0.001, max_delay=0.002, max_retry_after=1)


@pytest.fixture(autouse=True)
def _closed_breaker() -> Iterator[None]:
    breaker_for(SERVICE).reset()
    yield
    breaker_for(SERVICE).reset()


class Script:
    """A call that raises the scripted errors in turn, then returns "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def _transient(status: int = 503, retry_after: float | None = None) -> TransientConnectorError:
    return TransientConnectorError(
        SERVICE, f"HTTP {status}", status=status, retry_after=retry_after
    )


def test_parse_retry_after() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 0.25 ") == 0.25
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-1") is None
    assert parse_retry_after("nan") is None
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    assert parse_retry_after(in_a_minute) == pytest.approx(60, abs=2)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


def test_transient_errors_are_retried_until_success() -> None:
    call = Script(_transient(), _transient(429), _transient(500))

    assert call_with_retry(call, FAST, service=SERVICE) == "ok"
    assert call.calls == 4


def test_the_last_error_is_raised_once_attempts_run_out() -> None:
    last = _transient(502)
    call = Script(_transient(), _transient(), _transient(), last, _transient())

    with pytest.raises(TransientConnectorError) as error:
        call_with_retry(call, FAST, service=SERVICE)

    assert error.value is last
    assert call.calls == FAST.attempts


def test_other_errors_are_raised_at_once() -> None:
    call = Script(ConnectorError(SERVICE, "HTTP 404: not found", status=404))

    with pytest.raises(ConnectorError, match="HTTP 404"):
        call_with_retry(call, FAST, service=SERVICE)

    assert call.calls == 1


def test_retry_after_replaces_the_backoff() -> None:
    call = Script(_transient(429, retry_after=0.15), _transient(429, retry_after=0.15))

    started = time.monotonic()
    call_with_retry(call, FAST, service=SERVICE)

    assert time.monotonic() - started >= 0.3


def test_retry_after_beyond_the_policy_ends_the_retries() -> None:
    call = Script(_transient(429, retry_after=60))

    started = time.monotonic()
    with pytest.raises(TransientConnectorError):
        call_with_retry(call, FAST, service=SERVICE)

    assert call.calls == 1
    assert time.monotonic() - started < 0.5


def test_backoff_has_full_jitter_under_the_cap() -> None:
    lenient = BreakerPolicy(failure_threshold=10)
    policy = RetryPolicy(attempts=6, initial_delay=0.01, max_delay=0.02, breaker=lenient)
    call = Script(*[_transient() for _ in range(5)])

    started = time.monotonic()
    call_with_retry(call, policy, service=SERVICE)

    assert time.monotonic() - started < 5 * 0.02 + 0.1  # never more than the cap per wait


def test_the_breaker_ends_retries_once_it_opens() -> None:
    policy = RetryPolicy(
        attempts=5,
        initial_delay=0.001,
        max_delay=0.002,
        breaker=BreakerPolicy(failure_threshold=2, reset_timeout=60),
    )
    call = Script(*[_transient() for _ in range(5)])

    with pytest.raises(CircuitOpenError, match=f"{SERVICE}: circuit open after 2"):
        call_with_retry(call, policy, service=SERVICE)

    assert call.calls == 2
    assert breaker_for(SERVICE).state is BreakerState.OPEN
    with pytest.raises(CircuitOpenError):
        call_with_retry(Script(), policy, service=SERVICE)


def test_non_transient_answers_close_the_breaker() -> None:
    policy = RetryPolicy(attempts=1, breaker=BreakerPolicy(failure_threshold=2))
    with pytest.raises(TransientConnectorError):
        call_with_retry(Script(_transient()), policy, service=SERVICE)
    with pytest.raises(ConnectorError):
        call_with_retry(Script(ConnectorError(SERVICE, "bad", status=400)), policy, service=SERVICE)
    with pytest.raises(TransientConnectorError):
        call_with_retry(Script(_transient()), policy, service=SERVICE)

    assert breaker_for(SERVICE).state is BreakerState.CLOSED  # 1 + 1, never 2 in a row


def test_an_unpaced_policy_never_waits_on_the_rate_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spent: list[str] = []

    class Recording:
        def acquire(self, cost: int = 1) -> float:
            spent.append("acquired")
            return 0.0

    monkeypatch.setattr("sales_agent.connectors.retry.limiter_for", lambda service: Recording())
    assert call_with_retry(lambda: 1, RetryPolicy(paced=False), service="hubspot") == 1
    assert spent == []
    assert call_with_retry(lambda: 2, RetryPolicy(), service="hubspot") == 2
    assert spent == ["acquired"]
