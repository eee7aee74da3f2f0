"""Retries, the circuit breaker and timeouts against injected faults on a live sandbox."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sales_agent.config import Settings
from sales_agent.connectors import (
    Connectors,
    EmailAddress,
    GmailClient,
    RetryPolicy,
    build_connectors,
)
from sales_agent.connectors.breaker import (
    BreakerPolicy,
    BreakerState,
    CircuitOpenError,
    breaker_for,
)
from sales_agent.connectors.google_api import (
    anonymous_credentials,
    build_google_service,
    sandbox_endpoint,
)
from sales_agent.connectors.retry import TransientConnectorError
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import (
    SEED_CALENDAR_ID,
    SEED_LEAD_EMAIL,
    SEED_LEAD_THREAD_ID,
    SandboxServer,
)

THREAD_ROUTE = "^/gmail/v1/users/me/threads/"
SEARCH_ROUTE = "^/crm/v3/objects/contacts/search$"
# Backoff of a few milliseconds, so any wait we measure comes from Retry-After.
FAST = RetryPolicy(attempts=3, initial_delay=0.001, max_delay=0.002, max_retry_after=2)
SERVICES = ("gmail", "calendar", "hubspot")


def _connectors(sandbox: SandboxServer, retry: RetryPolicy) -> Connectors:
    settings = Settings(
        _env_file=None,
        google_client_id=None,
        google_client_secret=None,
        google_refresh_token=None,
        hubspot_access_token=None,
        operator_email=SEED_CALENDAR_ID,
    )
    return build_connectors(settings, sandbox.url, retry=retry)


@pytest.fixture(scope="module")
def connectors(sandbox: SandboxServer) -> Connectors:
    return _connectors(sandbox, FAST)


@pytest.fixture(autouse=True)
def _fresh(sandbox: SandboxServer) -> Iterator[None]:
    """A clean seed and closed breakers: they are process-wide, other modules share them."""
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()
    for service in SERVICES:
        breaker_for(service).reset()
    yield
    for service in SERVICES:
        breaker_for(service).reset()


def _inject(sandbox: SandboxServer, **fault: Any) -> httpx.Response:
    return httpx.post(f"{sandbox.url}/_sandbox/faults", json=fault)


def _faults(sandbox: SandboxServer) -> list[dict[str, Any]]:
    faults: list[dict[str, Any]] = httpx.get(f"{sandbox.url}/_sandbox/faults").json()["faults"]
    return faults


# The fault API itself


def test_fault_api_validates_lists_and_clears(sandbox: SandboxServer) -> None:
    old_shape = _inject(sandbox, path="/gmail/", status=503, times=1)
    assert old_shape.status_code == 400 and "path" in old_shape.json()["message"]
    assert _inject(sandbox, route="(unclosed", status=503).status_code == 400
    assert _inject(sandbox, route="/gmail/", rate=0.5).status_code == 400  # does nothing
    assert _inject(sandbox, route="/gmail/", status=503, rate=1.5).status_code == 400

    created = _inject(sandbox, route="/gmail/", status=429, retry_after=2, count=1)
    assert created.status_code == 201
    assert created.json() == {
        "route": "/gmail/", "status": 429, "retry_after": 2.0, "latency_ms": 0, "rate": 1.0,
        "count": 1,
    }  # fmt: skip
    assert [f["route"] for f in _faults(sandbox)] == ["/gmail/"]

    assert httpx.delete(f"{sandbox.url}/_sandbox/faults").json() == {"status": "ok"}
    assert _faults(sandbox) == []
    _inject(sandbox, route="/gmail/", status=503)
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()
    assert _faults(sandbox) == []


def test_rate_and_count_are_deterministic(sandbox: SandboxServer) -> None:
    url = f"{sandbox.url}/gmail/v1/users/me/threads/{SEED_LEAD_THREAD_ID}"
    _inject(sandbox, route=THREAD_ROUTE, status=503, rate=0.5, count=2)

    statuses = [httpx.get(url).status_code for _ in range(6)]

    # Half of the matching requests fail, the first one first, until two have failed.
    assert statuses == [503, 200, 503, 200, 200, 200]
    (fault,) = _faults(sandbox)
    assert (fault["matched"], fault["hit"]) == (3, 2)


def test_injected_errors_have_the_services_shape_and_retry_after(sandbox: SandboxServer) -> None:
    _inject(sandbox, route=THREAD_ROUTE, status=429, retry_after=7, count=1)
    _inject(sandbox, route=SEARCH_ROUTE, status=503, retry_after=0.5, count=1)

    google = httpx.get(f"{sandbox.url}/gmail/v1/users/me/threads/{SEED_LEAD_THREAD_ID}")
    hubspot = httpx.post(f"{sandbox.url}/crm/v3/objects/contacts/search", json={})

    assert (google.status_code, google.headers["retry-after"]) == (429, "7")
    assert google.json()["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    assert (hubspot.status_code, hubspot.headers["retry-after"]) == (503, "0.5")
    assert hubspot.json()["status"] == "error"


def test_sandbox_routes_are_never_faulted(sandbox: SandboxServer) -> None:
    _inject(sandbox, route=".*", status=503)

    assert httpx.get(f"{sandbox.url}/_sandbox/health").status_code == 200
    assert httpx.delete(f"{sandbox.url}/_sandbox/faults").status_code == 200


# Retries


def test_503_is_retried_until_it_clears(sandbox: SandboxServer, connectors: Connectors) -> None:
    _inject(sandbox, route=THREAD_ROUTE, status=503, count=2)

    assert connectors.gmail.get_thread(SEED_LEAD_THREAD_ID).id == SEED_LEAD_THREAD_ID
    assert _faults(sandbox)[0]["hit"] == 2  # two failures, then the third attempt succeeded


def test_retries_stop_after_the_policys_attempts(
    sandbox: SandboxServer, connectors: Connectors
) -> None:
    _inject(sandbox, route=SEARCH_ROUTE, status=500)

    with pytest.raises(TransientConnectorError) as error:
        connectors.hubspot.find_contact_by_email(SEED_LEAD_EMAIL)

    assert (error.value.service, error.value.status) == ("hubspot", 500)
    assert _faults(sandbox)[0]["hit"] == FAST.attempts


@pytest.mark.parametrize("route", [THREAD_ROUTE, SEARCH_ROUTE])
def test_retry_after_is_honoured(
    sandbox: SandboxServer, connectors: Connectors, route: str
) -> None:
    _inject(sandbox, route=route, status=429, retry_after=0.2, count=2)

    started = time.monotonic()
    if route == THREAD_ROUTE:
        connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    else:
        assert connectors.hubspot.find_contact_by_email(SEED_LEAD_EMAIL) is not None
    elapsed = time.monotonic() - started

    assert _faults(sandbox)[0]["hit"] == 2
    assert elapsed >= 0.4  # twice the header's 0.2 s, where the backoff alone is < 5 ms


def test_google_rate_limit_403_is_retried_other_403_is_not(
    sandbox: SandboxServer, connectors: Connectors
) -> None:
    _inject(sandbox, route=THREAD_ROUTE, status=403, reason="userRateLimitExceeded", count=1)
    assert connectors.gmail.get_thread(SEED_LEAD_THREAD_ID).id == SEED_LEAD_THREAD_ID

    httpx.delete(f"{sandbox.url}/_sandbox/faults")
    _inject(sandbox, route=THREAD_ROUTE, status=403, count=2)
    with pytest.raises(ConnectorError) as error:
        connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert not isinstance(error.value, TransientConnectorError)
    assert (error.value.status, _faults(sandbox)[0]["hit"]) == (403, 1)


@pytest.mark.parametrize("status", [400, 404])
def test_client_errors_are_not_retried(
    sandbox: SandboxServer, connectors: Connectors, status: int
) -> None:
    _inject(sandbox, route=THREAD_ROUTE, status=status)

    with pytest.raises(ConnectorError) as error:
        connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)

    assert not isinstance(error.value, TransientConnectorError)
    assert (error.value.status, _faults(sandbox)[0]["hit"]) == (status, 1)
    assert f"HTTP {status}" in error.value.message


def test_real_not_found_is_not_retried(sandbox: SandboxServer, connectors: Connectors) -> None:
    _inject(sandbox, route=THREAD_ROUTE, latency_ms=1)  # a delay-only fault counts requests

    with pytest.raises(ConnectorError, match="HTTP 404"):
        connectors.gmail.get_thread("no-such-thread")

    assert _faults(sandbox)[0]["matched"] == 1


def test_latency_beyond_the_timeout_is_a_transient_timeout(sandbox: SandboxServer) -> None:
    service = build_google_service(
        "gmail",
        "v1",
        credentials=anonymous_credentials(),
        api_endpoint=sandbox_endpoint(sandbox.url, "gmail", "v1"),
        timeout=0.2,
    )
    gmail = GmailClient(service, operator=EmailAddress(email=SEED_CALENDAR_ID), retry=FAST)

    _inject(sandbox, route=THREAD_ROUTE, latency_ms=600, count=1)
    assert gmail.get_thread(SEED_LEAD_THREAD_ID).id == SEED_LEAD_THREAD_ID  # the retry is fast

    _inject(sandbox, route=THREAD_ROUTE, latency_ms=600)
    started = time.monotonic()
    with pytest.raises(TransientConnectorError, match="timed out"):
        gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert time.monotonic() - started < FAST.attempts * 0.6  # each attempt gave up at 0.2 s


# The circuit breaker


BREAKER = RetryPolicy(
    attempts=2,
    initial_delay=0.001,
    max_delay=0.002,
    breaker=BreakerPolicy(failure_threshold=3, reset_timeout=0.3),
)


def test_breaker_opens_fails_fast_and_recovers(sandbox: SandboxServer) -> None:
    connectors = _connectors(sandbox, BREAKER)
    gmail = breaker_for("gmail")
    _inject(sandbox, route=THREAD_ROUTE, status=503)

    with pytest.raises(TransientConnectorError):  # two failures: still closed
        connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert gmail.state is BreakerState.CLOSED
    with pytest.raises(CircuitOpenError):  # the third failure opens it; no retry after
        connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert gmail.state is BreakerState.OPEN
    assert _faults(sandbox)[0]["hit"] == 3

    started = time.monotonic()
    with pytest.raises(CircuitOpenError) as fast:
        connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert time.monotonic() - started < 0.1
    assert _faults(sandbox)[0]["hit"] == 3, "an open circuit sends nothing"
    assert fast.value.service == "gmail"
    assert "gmail: circuit open after 3 consecutive transient failures" in fast.value.message
    assert 0 < fast.value.retry_in <= 0.3
    # One service down does not stop the others.
    assert connectors.hubspot.find_contact_by_email(SEED_LEAD_EMAIL) is not None

    httpx.delete(f"{sandbox.url}/_sandbox/faults")
    time.sleep(0.3)
    assert connectors.gmail.get_thread(SEED_LEAD_THREAD_ID).id == SEED_LEAD_THREAD_ID
    assert gmail.state is BreakerState.CLOSED


def test_failed_probe_reopens_at_once(sandbox: SandboxServer) -> None:
    connectors = _connectors(sandbox, BREAKER)
    _inject(sandbox, route=SEARCH_ROUTE, status=503)
    for _ in range(2):
        with pytest.raises(ConnectorError):
            connectors.hubspot.find_contact_by_email(SEED_LEAD_EMAIL)
    assert breaker_for("hubspot").state is BreakerState.OPEN
    hits_when_opened = _faults(sandbox)[0]["hit"]

    time.sleep(0.3)
    with pytest.raises(CircuitOpenError, match="hubspot: circuit open after 4"):
        connectors.hubspot.find_contact_by_email(SEED_LEAD_EMAIL)

    assert _faults(sandbox)[0]["hit"] == hits_when_opened + 1  # one probe, not a retry storm
    assert breaker_for("hubspot").state is BreakerState.OPEN
