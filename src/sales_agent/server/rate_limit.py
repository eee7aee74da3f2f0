"""Rate limits on the sensitive routes, answered with 429 and `Retry-After`.

Three budgets, each a moving window (`limits`' MovingWindowRateLimiter):
- failed sign-ins (key guessing), counted per client address and key prefix: once spent,
  a request from that address naming that prefix is refused until the window frees, a
  right guess included. Another key's holder at the same address (behind the same NAT) is
  not locked out by a stranger's failures; a much higher ceiling per address still stops
  a guesser who sprays many prefixes;
- admin writes (`POST`/`PUT`/`PATCH`/`DELETE` under the admin prefix) per key;
- approval actions (`POST /api/drafts/{id}/approve|edit|reject|respond`) per key.

Counts live in this process's memory: with several server processes each enforces its own
window (a guesser behind one address gets N times the budget, still far from useful).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

__all__ = ["RateLimits", "Verdict"]

AUTH_FAILURES = parse("10/minute")
"""Failed sign-ins per client address and key prefix (malformed credentials share one)."""
AUTH_FAILURES_PER_ADDRESS = parse("100/minute")
"""Failed sign-ins per client address, whatever the prefix."""
ADMIN_WRITES = parse("30/minute")
APPROVALS = parse("60/minute")

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_APPROVAL_PATH = re.compile(r"^/api/drafts/[^/]+/(approve|edit|reject|respond)$")


@dataclass(frozen=True)
class Verdict:
    """A refusal: which budget ran out and how many seconds until it has room."""

    budget: str
    retry_after: int


class RateLimits:
    """The server's budgets, in memory; one instance per app."""

    def __init__(self, *, admin_prefix: str) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._admin_prefix = admin_prefix

    def _retry_after(self, item: RateLimitItem, *keys: str) -> int:
        reset_at = self._limiter.get_window_stats(item, *keys).reset_time
        return max(1, math.ceil(reset_at - time.time()))

    def guessing_blocked(self, client: str, prefix: str | None) -> Verdict | None:
        """A refusal when `client` has used up its failed sign-ins for `prefix`, else None.

        `prefix` is the key prefix the credential names, None when it names none.
        """
        for item, keys in self._failure_budgets(client, prefix):
            if not self._limiter.test(item, *keys):
                return Verdict("auth_failures", self._retry_after(item, *keys))
        return None

    def record_failure(self, client: str, prefix: str | None) -> None:
        """Count one failed sign-in (a key that is unknown, malformed or revoked)."""
        for item, keys in self._failure_budgets(client, prefix):
            self._limiter.hit(item, *keys)

    @staticmethod
    def _failure_budgets(
        client: str, prefix: str | None
    ) -> tuple[tuple[RateLimitItem, tuple[str, ...]], ...]:
        return (
            (AUTH_FAILURES, ("auth_failures", client, prefix or "-")),
            (AUTH_FAILURES_PER_ADDRESS, ("auth_failures_address", client)),
        )

    def budget_for(self, method: str, path: str) -> tuple[str, RateLimitItem] | None:
        """The per-key budget a request spends, if its route has one."""
        if method in _WRITE_METHODS and path.startswith(self._admin_prefix):
            return "admin_writes", ADMIN_WRITES
        if method == "POST" and _APPROVAL_PATH.match(path):
            return "approvals", APPROVALS
        return None

    def spend(self, method: str, path: str, key_id: str) -> Verdict | None:
        """Spend one unit of the route's budget for `key_id`; a refusal when none is left."""
        budget = self.budget_for(method, path)
        if budget is None:
            return None
        name, item = budget
        if self._limiter.hit(item, name, key_id):
            return None
        return Verdict(name, self._retry_after(item, name, key_id))
