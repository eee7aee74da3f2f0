"""What a benchmark asks of the sandbox: a delay on every API call, and the calls it served.

Real APIs answer in about 100 ms; the sandbox on loopback in about 1. `api_latency` makes
every sandbox call wait first (its fault injection with a delay only), so a benchmark sees
the latency a user meets. `calls_since` reads the sandbox's request log, and
`critical_path` counts how many of those calls ran one after another: the round trips a
run cannot hide by running calls concurrently.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from sales_agent.services import Services

__all__ = ["SandboxCall", "api_latency", "call_count", "calls_since", "critical_path"]


@dataclass(frozen=True)
class SandboxCall:
    """One API call the sandbox served; times on its monotonic clock, in seconds."""

    method: str
    path: str
    started: float
    ended: float


def _sandbox(services: Services) -> str:
    if services.sandbox_url is None:
        raise RuntimeError("this benchmark runs against the sandbox: start it without real APIs")
    return services.sandbox_url


@contextmanager
def api_latency(services: Services, latency_ms: int) -> Iterator[None]:
    """Every sandbox API call waits `latency_ms` first (a real HubSpot or Gmail is not local)."""
    if not latency_ms:
        yield
        return
    faults = f"{_sandbox(services)}/_sandbox/faults"
    httpx.post(faults, json={"route": ".", "latency_ms": latency_ms}).raise_for_status()
    try:
        yield
    finally:
        httpx.delete(faults).raise_for_status()


def call_count(services: Services) -> int:
    """How many API calls the sandbox has served so far."""
    response = httpx.get(f"{_sandbox(services)}/_sandbox/requests", params={"since": 1 << 62})
    response.raise_for_status()
    return int(response.json()["total"])


def calls_since(services: Services, since: int) -> list[SandboxCall]:
    """The API calls served from call number `since` on (all of them finished)."""
    response = httpx.get(f"{_sandbox(services)}/_sandbox/requests", params={"since": since})
    response.raise_for_status()
    entries: list[dict[str, Any]] = response.json()["requests"]
    return [
        SandboxCall(e["method"], e["path"], e["started"], e["ended"])
        for e in entries
        if e["ended"] is not None
    ]


def critical_path(calls: Sequence[SandboxCall]) -> int:
    """The longest chain of calls each starting after the previous one ended.

    Calls that overlap ran concurrently and cost one round trip together; the longest chain
    of calls that did not overlap is the number of round trips the run waited for in turn.
    Picking by earliest end is optimal for the most non-overlapping intervals.
    """
    chain, last_end = 0, float("-inf")
    for call in sorted(calls, key=lambda c: c.ended):
        if call.started >= last_end:
            chain, last_end = chain + 1, call.ended
    return chain
