"""Injected failures and latency, so tests can prove the clients' retries, breaker and timeouts.

A fault applies to requests whose path matches its `route` (regular expression, searched).
Of those, a `rate` share fails, spread evenly by a counter (rate 0.5: fail, pass, fail, ...)
so that every run is the same; `count` caps how many requests the fault hits. A request a
fault lets pass goes on to the next fault in force, so faults stack: a 15% error fault then
a timeout fault on the same route make a mix. The sandbox's own routes under /_sandbox are
never hit, so a fault can always be cleared.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Self, cast

from fastapi import Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sales_agent.sandbox._errors import error_response

__all__ = ["ADMIN_PREFIX", "Fault", "FaultPlan", "inject_faults"]

ADMIN_PREFIX = "/_sandbox/"


class Fault(BaseModel):
    """What to do to matching requests: answer `status` and/or wait `latency_ms` first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    route: str = Field(description="Regular expression searched in the request path")
    status: int | None = Field(
        default=None,
        ge=400,
        le=599,
        description="Error to answer (429, 500, 503...); none: delay only",
    )
    reason: str | None = Field(
        default=None, description="Google's errors[].reason, e.g. userRateLimitExceeded on a 403"
    )
    retry_after: float | None = Field(default=None, ge=0, description="Retry-After seconds")
    latency_ms: int = Field(default=0, ge=0, le=60_000, description="Delay before answering")
    rate: float = Field(default=1.0, ge=0, le=1, description="Share of matching requests hit")
    count: int | None = Field(default=None, ge=1, description="Most requests hit; none: no limit")

    @field_validator("route")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _does_something(self) -> Self:
        if self.status is None and not self.latency_ms:
            raise ValueError("a fault needs a status, a latency_ms, or both")
        return self


@dataclass
class _Active:
    fault: Fault
    pattern: re.Pattern[str]
    rate: Fraction
    matched: int = 0
    hit: int = 0

    def describe(self) -> dict[str, Any]:
        return {
            **self.fault.model_dump(exclude_none=True),
            "matched": self.matched,
            "hit": self.hit,
        }


class FaultPlan:
    """The faults in force, the first to hit wins; requests run one at a time on the loop."""

    def __init__(self) -> None:
        self._active: list[_Active] = []

    def add(self, fault: Fault) -> None:
        """Put a fault in force (after those already there)."""
        # The decimal the client wrote, exactly: 0.7 must hit 7 requests in 10, not 8.
        rate = Fraction(str(fault.rate))
        self._active.append(_Active(fault, re.compile(fault.route), rate))

    def clear(self) -> None:
        """Remove every fault."""
        self._active.clear()

    def describe(self) -> list[dict[str, Any]]:
        """Each fault with how many requests it matched and how many it hit."""
        return [active.describe() for active in self._active]

    def take(self, path: str) -> Fault | None:
        """Return the fault that hits this request, if any, counting it."""
        for active in self._active:
            exhausted = active.fault.count is not None and active.hit >= active.fault.count
            if exhausted or not active.pattern.search(path):
                continue
            active.matched += 1
            # Hit when ceil(n * rate) steps up: evenly spread, and the first match is hit.
            if math.ceil(active.matched * active.rate) == math.ceil(
                (active.matched - 1) * active.rate
            ):
                continue  # passed by this fault: the next one may still hit it
            active.hit += 1
            return active.fault
        return None


async def inject_faults(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Delay and/or fail a request as the plan says (HTTP middleware)."""
    path = request.url.path
    fault = None
    if not path.startswith(ADMIN_PREFIX):
        fault = cast(FaultPlan, request.app.state.faults).take(path)
    if fault is None:
        return await call_next(request)
    if fault.latency_ms:
        await asyncio.sleep(fault.latency_ms / 1000)
    if fault.status is None:
        return await call_next(request)
    headers = None
    if fault.retry_after is not None:
        # Whole seconds as the standard says; a fraction only when the test asked for one.
        seconds = fault.retry_after
        headers = {"Retry-After": str(int(seconds)) if seconds.is_integer() else str(seconds)}
    return error_response(
        path, fault.status, f"Injected fault ({fault.status})", reason=fault.reason, headers=headers
    )
