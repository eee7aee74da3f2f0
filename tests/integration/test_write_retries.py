"""Writes that are not idempotent are retried only when the service provably did not act."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from sales_agent.config import Settings
from sales_agent.connectors import Connectors, RetryPolicy, build_connectors, build_reply
from sales_agent.connectors.breaker import breaker_for
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import (
    SEED_CALENDAR_ID,
    SEED_COMPANY_ID,
    SEED_CONTACT_ID,
    SEED_LEAD_THREAD_ID,
    SandboxServer,
)

FAST = RetryPolicy(attempts=3, initial_delay=0.001, max_delay=0.002, max_retry_after=2)
DRAFTS = "^/gmail/v1/users/me/drafts$"
NOTES = "^/crm/v3/objects/notes$"


@pytest.fixture(scope="module")
def connectors(sandbox: SandboxServer) -> Connectors:
    settings = Settings(_env_file=None, operator_email=SEED_CALENDAR_ID)  # type: ignore[call-arg]
    return build_connectors(settings, sandbox.url, retry=FAST)


@pytest.fixture(autouse=True)
def _fresh(sandbox: SandboxServer) -> Iterator[None]:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()
    for service in ("gmail", "hubspot"):
        breaker_for(service).reset()
    yield
    for service in ("gmail", "hubspot"):
        breaker_for(service).reset()


def inject(sandbox: SandboxServer, **fault: Any) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/faults", json=fault).raise_for_status()


def attempts(sandbox: SandboxServer) -> int:
    """Requests that reached the faulted route (failed or not)."""
    faults = httpx.get(f"{sandbox.url}/_sandbox/faults").json()["faults"]
    return sum(int(f["matched"]) for f in faults)


def drafts_in_thread(connectors: Connectors) -> int:
    thread = connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    return sum(m.is_draft for m in thread.messages)


def create_draft(connectors: Connectors) -> str:
    thread = connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    reply = build_reply(thread, operator_email=SEED_CALENDAR_ID, body_text="Tuesday?")
    return connectors.gmail.create_draft(reply)


def test_a_500_on_draft_create_is_not_retried(
    sandbox: SandboxServer, connectors: Connectors
) -> None:
    inject(sandbox, route=DRAFTS, status=500, count=1)
    with pytest.raises(ConnectorError, match="500"):
        create_draft(connectors)
    assert attempts(sandbox) == 1, "one attempt only: a 500 may come after the draft was made"


def test_a_503_on_draft_create_is_retried_and_makes_one_draft(
    sandbox: SandboxServer, connectors: Connectors
) -> None:
    inject(sandbox, route=DRAFTS, status=503, count=1)
    # The first attempt got the 503; only a retry can have made the draft.
    assert create_draft(connectors)
    assert drafts_in_thread(connectors) == 1


def test_reads_are_retried_after_a_500(sandbox: SandboxServer, connectors: Connectors) -> None:
    inject(sandbox, route="^/gmail/v1/users/me/threads/", status=500, count=1)
    assert connectors.gmail.get_thread(SEED_LEAD_THREAD_ID).id == SEED_LEAD_THREAD_ID


@pytest.mark.parametrize(("status", "retried"), [(500, False), (429, True)])
def test_hubspot_note_create(
    sandbox: SandboxServer, connectors: Connectors, status: int, retried: bool
) -> None:
    inject(sandbox, route=NOTES, status=status, count=1, retry_after=0.01)
    create = lambda: connectors.hubspot.create_note(  # noqa: E731
        "<p>hello</p>", SEED_CONTACT_ID, SEED_COMPANY_ID, datetime.now(UTC)
    )
    if retried:  # the first attempt got the 429; only a retry can have made the note
        assert create()
    else:
        with pytest.raises(ConnectorError):
            create()
        assert attempts(sandbox) == 1
