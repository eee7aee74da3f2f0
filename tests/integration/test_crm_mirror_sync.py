"""The CRM mirror's sync: resumable after a kill, then refreshed by the modified-since poll."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.config import Settings
from sales_agent.connectors.hubspot_models import CrmPage
from sales_agent.db.crm_mirror import contact_by_email, read_cursor
from sales_agent.domain.crm_records import CrmContact
from sales_agent.memory.crm_sync import sync
from sales_agent.sandbox import SandboxServer
from sales_agent.services import Services, open_services

STARTED = datetime(2026, 3, 2, 9, tzinfo=UTC)
KILLED_AT = 3  # contact pages committed before the kill


class KilledError(Exception):
    """Stands for the process being killed between two pages."""


@pytest.fixture(scope="module")
def scaled() -> Iterator[SandboxServer]:
    with SandboxServer(started_at=STARTED, scale=540) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def mirror_services(settings: Settings, scaled: SandboxServer) -> Iterator[Services]:
    with open_services(settings.model_copy(update={"sandbox_url": scaled.url})) as opened:
        # A new database walks the CRM on its first start: start these tests from nothing.
        with opened.pool.connection() as conn:
            conn.execute("TRUNCATE crm_contacts, crm_companies, crm_sync_cursors")
        yield opened


def _mirrored(conn: Connection[DictRow]) -> int:
    row = conn.execute("SELECT count(*) AS n FROM crm_contacts").fetchone()
    assert row is not None
    return int(row["n"])


def test_a_killed_sync_resumes_after_the_last_committed_page(
    mirror_services: Services,
    scaled: SandboxServer,
    conn: Connection[DictRow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hubspot = mirror_services.connectors.hubspot
    contact_pages: list[int] = []

    def kill(kind: str, count: int) -> None:
        if kind == "contacts":
            contact_pages.append(count)
            if len(contact_pages) == KILLED_AT:
                raise KilledError

    with pytest.raises(KilledError):
        sync(mirror_services.pool, hubspot, on_page=kill)
    stopped = read_cursor(conn, "contacts")
    assert stopped.full_after is not None and stopped.full_done_at is None
    assert _mirrored(conn) == KILLED_AT * 100

    requested: list[str | None] = []
    list_contacts = hubspot.list_contacts

    def spy(*, limit: int = 100, after: str | None = None) -> CrmPage[CrmContact]:
        requested.append(after)
        return list_contacts(limit=limit, after=after)

    monkeypatch.setattr(hubspot, "list_contacts", spy)
    sync(mirror_services.pool, hubspot)

    total = len(scaled.workspace.crm.records("contacts"))
    assert requested[0] == stopped.full_after  # not a page already committed
    assert len(requested) == math.ceil(total / 100) - KILLED_AT
    assert _mirrored(conn) == total
    assert read_cursor(conn, "contacts").full_done_at is not None


def test_the_poll_picks_up_a_change_without_walking_again(
    mirror_services: Services,
    scaled: SandboxServer,
    conn: Connection[DictRow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contact = scaled.workspace.crm.records("contacts")[-1]
    email = contact.properties["email"]
    assert email
    response = httpx.patch(
        f"{scaled.url}/crm/v3/objects/contacts/{contact.id}",
        json={"properties": {"lastname": "Øverland-Şahin"}},
    )
    response.raise_for_status()
    hubspot = mirror_services.connectors.hubspot
    walked: list[str | None] = []
    monkeypatch.setattr(hubspot, "list_contacts", lambda **kw: walked.append(kw["after"]))

    report = sync(mirror_services.pool, hubspot)

    mirrored = contact_by_email(conn, email)
    assert mirrored is not None and mirrored.last_name == "Øverland-Şahin"
    assert walked == []
    assert report.records < 50  # the changed record and the few the look-back re-reads
