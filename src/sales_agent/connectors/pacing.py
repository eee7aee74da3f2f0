"""Client-side pacing: stay under each service's published rate limit instead of hitting 429s.

One mechanism, a sliding window of spent units, serves both budgets we know:
HubSpot private apps get 100 requests per rolling 10 seconds; Gmail charges quota units per
method (`GMAIL_QUOTA_UNITS`) against 250 units per user per second. A process acts for one
operator's mailbox and one HubSpot app, so one window per service per process is the budget.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from types import MappingProxyType

__all__ = [
    "GMAIL_QUOTA_UNITS",
    "SERVICE_BUDGETS",
    "SlidingWindowLimiter",
    "limiter_for",
    "request_cost",
]

logger = logging.getLogger(__name__)

# Gmail API "Usage limits", per method (discovery method ids).
GMAIL_QUOTA_UNITS: Mapping[str, int] = MappingProxyType(
    {
        "gmail.users.getProfile": 1,
        "gmail.users.watch": 100,
        "gmail.users.stop": 50,
        "gmail.users.history.list": 2,
        "gmail.users.labels.list": 1,
        "gmail.users.labels.get": 1,
        "gmail.users.labels.create": 5,
        "gmail.users.labels.update": 5,
        "gmail.users.labels.patch": 5,
        "gmail.users.labels.delete": 5,
        "gmail.users.messages.list": 5,
        "gmail.users.messages.get": 5,
        "gmail.users.messages.attachments.get": 5,
        "gmail.users.messages.modify": 5,
        "gmail.users.messages.trash": 5,
        "gmail.users.messages.untrash": 5,
        "gmail.users.messages.delete": 10,
        "gmail.users.messages.insert": 25,
        "gmail.users.messages.import": 25,
        "gmail.users.messages.batchModify": 50,
        "gmail.users.messages.batchDelete": 50,
        "gmail.users.messages.send": 100,
        "gmail.users.threads.list": 10,
        "gmail.users.threads.get": 10,
        "gmail.users.threads.modify": 10,
        "gmail.users.threads.trash": 10,
        "gmail.users.threads.untrash": 10,
        "gmail.users.threads.delete": 20,
        "gmail.users.drafts.list": 5,
        "gmail.users.drafts.get": 5,
        "gmail.users.drafts.create": 10,
        "gmail.users.drafts.delete": 10,
        "gmail.users.drafts.update": 15,
        "gmail.users.drafts.send": 100,
    }
)
# Methods missing from the table (settings.*) are charged like a typical write.
_DEFAULT_GMAIL_UNITS = 10

# service -> (units, seconds): at most that many units in any window of that length.
SERVICE_BUDGETS: Mapping[str, tuple[int, float]] = MappingProxyType(
    {"gmail": (250, 1.0), "hubspot": (100, 10.0)}
)

# A waiter woken exactly at an entry's expiry may read a clock a rounding error short of it.
_CLOCK_TOLERANCE = 1e-9


def request_cost(method_id: str | None) -> int:
    """Units a Google request costs: Gmail's per-method quota, 1 for anything else."""
    if method_id is None or not method_id.startswith("gmail."):
        return 1
    return GMAIL_QUOTA_UNITS.get(method_id, _DEFAULT_GMAIL_UNITS)


class SlidingWindowLimiter:
    """At most `limit` units in any `period` seconds; `acquire` waits until a call fits.

    Thread-safe. `clock` and `sleep` are injectable so tests run on a fake clock.
    """

    def __init__(
        self,
        limit: int,
        period: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1 or period <= 0:
            raise ValueError(f"a budget needs limit >= 1 and period > 0, got {limit}/{period}s")
        self.limit = limit
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._spent: deque[tuple[float, int]] = deque()  # (expires at, units), oldest first
        self._used = 0

    def _wait_needed(self, cost: int) -> float:
        """Record the call and return 0 if it fits now, else how long until it may fit."""
        now = self._clock()
        while self._spent and self._spent[0][0] <= now + _CLOCK_TOLERANCE:
            self._used -= self._spent.popleft()[1]
        if self._used + cost <= self.limit:
            self._spent.append((now + self.period, cost))
            self._used += cost
            return 0.0
        excess = self._used + cost - self.limit
        for expires_at, units in self._spent:
            excess -= units
            if excess <= 0:
                return expires_at - now
        raise AssertionError("unreachable: cost <= limit, so expiring every entry makes room")

    def acquire(self, cost: int = 1) -> float:
        """Wait until `cost` units fit in the window, spend them; return the seconds waited."""
        if not 0 < cost <= self.limit:
            raise ValueError(f"cost {cost} must be between 1 and the limit {self.limit}")
        waited = 0.0
        while True:
            with self._lock:
                delay = self._wait_needed(cost)
            if delay <= 0:
                if waited:
                    logger.debug(
                        "paced %.3fs to stay within %d/%ss", waited, self.limit, self.period
                    )
                return waited
            # Sleep outside the lock; another thread may take the room first, so check again.
            self._sleep(delay)
            waited += delay


_LIMITERS: dict[str, SlidingWindowLimiter] = {}
_LIMITERS_LOCK = threading.Lock()


def limiter_for(service: str) -> SlidingWindowLimiter | None:
    """The process's limiter for `service`, or None for a service without a known budget."""
    budget = SERVICE_BUDGETS.get(service)
    if budget is None:
        return None
    with _LIMITERS_LOCK:
        if service not in _LIMITERS:
            _LIMITERS[service] = SlidingWindowLimiter(*budget)
        return _LIMITERS[service]
