"""A circuit breaker per service: stop calling a service that keeps failing, probe it later.

Closed: calls go through, consecutive transient failures are counted. Open: calls fail at
once with `CircuitOpenError` until the cool-down has passed. Half-open: one probe call goes
through; its success closes the circuit, its failure opens it again for another cool-down.

pybreaker would fit but is not a dependency of the project; what we need (thresholds read
per call, so tests can shorten the cool-down of a process-wide breaker) is this small.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sales_agent.errors import ConnectorError

__all__ = [
    "BreakerPolicy",
    "BreakerState",
    "CircuitBreaker",
    "CircuitOpenError",
    "breaker_for",
]


class BreakerState(enum.StrEnum):
    """Where a breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerPolicy:
    """When to open (consecutive transient failures) and how long to stay open (seconds)."""

    failure_threshold: int = 5
    reset_timeout: float = 30.0


class CircuitOpenError(ConnectorError):
    """The service's circuit is open: the call was not attempted."""

    code = "connector_circuit_open"

    def __init__(self, service: str, message: str, *, retry_in: float) -> None:
        super().__init__(service, message)
        self.retry_in = retry_in


class CircuitBreaker:
    """The breaker of one service, shared by every thread of the process."""

    def __init__(self, service: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.service = service
        self._clock = clock
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0

    @property
    def state(self) -> BreakerState:
        """The current state (an open breaker past its cool-down still reads open)."""
        return self._state

    def before_call(self, policy: BreakerPolicy) -> None:
        """Let the call through or raise `CircuitOpenError`.

        The first call after the cool-down goes through as the half-open probe.
        """
        with self._lock:
            if self._state is BreakerState.CLOSED:
                return
            if self._state is BreakerState.HALF_OPEN:
                raise CircuitOpenError(
                    self.service,
                    "circuit half-open: a probe request is checking whether the service is "
                    "back; failing fast until it answers",
                    retry_in=0.0,
                )
            retry_in = self._opened_at + policy.reset_timeout - self._clock()
            if retry_in > 0:
                raise CircuitOpenError(
                    self.service,
                    f"circuit open after {self._failures} consecutive transient failures; "
                    f"failing fast, the next attempt goes through in {retry_in:.1f}s",
                    retry_in=retry_in,
                )
            self._state = BreakerState.HALF_OPEN

    def succeeded(self) -> None:
        """The service answered (even with a non-transient error): close the circuit."""
        with self._lock:
            self._state = BreakerState.CLOSED
            self._failures = 0

    def failed(self, policy: BreakerPolicy) -> None:
        """Count a transient failure; open on the threshold, or at once after a failed probe."""
        with self._lock:
            self._failures += 1
            probe_failed = self._state is BreakerState.HALF_OPEN
            if probe_failed or self._failures >= policy.failure_threshold:
                self._state = BreakerState.OPEN
                self._opened_at = self._clock()

    def reset(self) -> None:
        """Forget every failure (tests that open a process-wide breaker close it after)."""
        self.succeeded()


_BREAKERS: dict[str, CircuitBreaker] = {}
_BREAKERS_LOCK = threading.Lock()


def breaker_for(service: str) -> CircuitBreaker:
    """The process's breaker for `service`, created on first use."""
    with _BREAKERS_LOCK:
        return _BREAKERS.setdefault(service, CircuitBreaker(service))
