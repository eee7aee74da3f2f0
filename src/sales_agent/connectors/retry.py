"""The one wrapper every connector call goes through: breaker, pacing, retries.

Each attempt first asks the service's circuit breaker (fail fast while the service is
down), then waits for room in the service's rate budget, then calls. Transient failures
(HTTP 429 and 5xx, Google's rate-limit 403s, dropped connections and timeouts) are retried
with exponential backoff and full jitter; a `Retry-After` from the server replaces the
computed wait, and one longer than the policy allows ends the retries. The client
libraries' own retries are switched off, since they ignore `Retry-After`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from sales_agent.connectors.breaker import BreakerPolicy, breaker_for
from sales_agent.connectors.pacing import limiter_for
from sales_agent.errors import ConnectorError
from sales_agent.metrics import record_external_api_error

__all__ = [
    "DEFAULT_RETRY",
    "NOT_PROCESSED_STATUSES",
    "TRANSIENT_STATUSES",
    "RetryPolicy",
    "TransientConnectorError",
    "call_with_retry",
    "parse_retry_after",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


# Answers that mean the request was refused before any work: safe to repeat even a write.
NOT_PROCESSED_STATUSES = frozenset({429, 503})


class TransientConnectorError(ConnectorError):
    """A failure worth retrying; `retry_after` is the server's requested wait in seconds.

    `may_have_run` says whether the service may have acted before failing (a timeout, a
    500, a connection reset after sending): a write that is not idempotent must then not be
    repeated blindly, or a retried "create" could leave two drafts, two sends, two notes.
    """

    code = "connector_transient"

    def __init__(
        self,
        service: str,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        may_have_run: bool | None = None,
    ) -> None:
        super().__init__(service, message, status=status)
        self.retry_after = retry_after
        self.may_have_run = (
            status not in NOT_PROCESSED_STATUSES if may_have_run is None else may_have_run
        )


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to retry and when to stop trying.

    Total attempts, the backoff's scale and cap, the longest Retry-After worth waiting for,
    and when the service's circuit breaker opens and for how long.
    """

    attempts: int = 4
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0
    breaker: BreakerPolicy = field(default_factory=BreakerPolicy)
    paced: bool = True
    """Spend the service's published request budget (see `pacing`) before each call."""


DEFAULT_RETRY = RetryPolicy()


def parse_retry_after(value: str | None) -> float | None:
    """Read a Retry-After header: delay seconds or an HTTP date; None when absent or garbled."""
    if not value:
        return None
    value = value.strip()
    try:  # delay seconds; a fraction is not standard, but harmless to honour
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if 0 <= seconds < float("inf") else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _requested_wait(state: RetryCallState) -> float | None:
    error = state.outcome.exception() if state.outcome else None
    return error.retry_after if isinstance(error, TransientConnectorError) else None


def _guarded(call: Callable[[], T], service: str, cost: int, policy: RetryPolicy) -> T:
    """One attempt: the breaker may refuse it, the pacer may delay it, the outcome is counted."""
    breaker = breaker_for(service)
    breaker.before_call(policy.breaker)
    limiter = limiter_for(service) if policy.paced else None
    if limiter is not None:
        limiter.acquire(cost)
    try:
        result = call()
    except TransientConnectorError as exc:
        breaker.failed(policy.breaker)
        record_external_api_error(service, exc)
        raise
    except Exception as exc:
        breaker.succeeded()  # the service answered; the error is the caller's to handle
        record_external_api_error(service, exc)
        raise
    breaker.succeeded()
    return result


def call_with_retry(
    call: Callable[[], T],
    policy: RetryPolicy = DEFAULT_RETRY,
    *,
    service: str,
    cost: int = 1,
    idempotent: bool = True,
) -> T:
    """Run `call` for `service`, retrying while it raises `TransientConnectorError`.

    Each attempt passes the service's breaker and spends `cost` units of its rate budget;
    the last error is re-raised. `CircuitOpenError` is not transient: an open circuit
    ends the retries at once. A call that is not `idempotent` (a create, a send) is
    retried only after failures that prove it did not run (429, 503, a refused connection).
    """
    backoff = wait_random_exponential(multiplier=policy.initial_delay, max=policy.max_delay)

    def wait(state: RetryCallState) -> float:
        requested = _requested_wait(state)
        return requested if requested is not None else backoff(state)

    def stop(state: RetryCallState) -> bool:
        requested = _requested_wait(state)
        too_long = requested is not None and requested > policy.max_retry_after
        return too_long or stop_after_attempt(policy.attempts)(state)

    def log(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        logger.warning("retrying after attempt %d: %s", state.attempt_number, error)

    def repeatable(error: BaseException) -> bool:
        if not isinstance(error, TransientConnectorError):
            return False
        return idempotent or not error.may_have_run

    retrying = Retrying(
        retry=retry_if_exception(repeatable),
        wait=wait,
        stop=stop,
        before_sleep=log,
        reraise=True,
    )
    result: T = retrying(_guarded, call, service, cost, policy)
    return result
