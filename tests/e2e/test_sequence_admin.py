"""The operator's handles on sequences: `GET /api/sequences`, `POST /api/sequences/{id}/stop`,
and `sales-agent sequences list|show|stop|set-cadence|run-due --now`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import httpx
import pytest

from live_server import live_server
from sales_agent.db.sequences import SequenceRow, get_sequence
from sales_agent.policy.api_keys import create_api_key
from sales_agent.policy.sequences import enrol
from sales_agent.services import Services

if TYPE_CHECKING:
    from conftest import RunCli

pytestmark = pytest.mark.slow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday: the first follow-up is due Thursday
# The API test's server runs a worker whose due-touch tick follows the wall clock (and runs
# once as it starts): a sequence enrolled at T0 is long due by then, and a tick between the
# enrolment and the listing claimed its touch (next_due_at None), at whatever hour CI ran.
# Enrolled in 2099, it is due after any day this runs on.
T_FUTURE = datetime(2099, 3, 2, 9, 0, tzinfo=UTC)  # also a Monday
KEY_NAME = "sequence-api-tests"


def enrolled(services: Services, email: str, now: datetime = T0) -> SequenceRow:
    with services.pool.connection() as conn:
        row = enrol(
            conn,
            services.settings,
            email=email,
            gmail_thread_id=f"thr-{email}",
            origin_thread_id=f"manual:{email}",
            now=now,
            actor="tests",
        )
    assert row is not None
    return row


# Per test, not per module: the server's worker runs the due-touch tick every five minutes
# on the real clock, after every date here, so while it runs it may claim any touch due;
# the CLI test below must not share the database with it.
@pytest.fixture
def api(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with services.pool.connection() as conn:
        key = create_api_key(conn, role="operator", name=KEY_NAME, actor="tests").key
    with (
        live_server(services, tmp_path_factory.mktemp("sequence-api")) as url,
        httpx.Client(base_url=url, headers={"x-api-key": key}, timeout=60) as client,
    ):
        yield client


def test_the_api_lists_sequences_and_an_operator_stops_one_for_good(
    api: httpx.Client, services: Services
) -> None:
    row = enrolled(services, "ana@api.example", T_FUTURE)
    listed = api.get("/api/sequences", params={"contact": "ANA@api.example"})
    assert listed.status_code == 200, listed.text
    [shown] = listed.json()["sequences"]
    assert (shown["id"], shown["status"], shown["touches_done"]) == (row.id, "active", 0)
    assert shown["next_due_at"].startswith("2099-03-05T09:00")

    assert api.post(f"/api/sequences/{row.id}/stop", json={}).status_code == 422  # no reason
    stopped = api.post(f"/api/sequences/{row.id}/stop", json={"reason": "spoke on the phone"})
    assert stopped.status_code == 200, stopped.text
    assert (stopped.json()["status"], stopped.json()["stop_reason"]) == (
        "stopped",
        "operator_stopped",
    )
    with services.pool.connection() as conn:
        event = conn.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert event is not None
    assert (event["actor"], event["action"]) == (KEY_NAME, "sequence_stopped")
    assert event["reason"] == "operator_stopped: spoke on the phone"

    again = api.post(f"/api/sequences/{row.id}/stop", json={"reason": "twice"})
    assert (again.status_code, again.json()["code"]) == (409, "sequence_not_live")
    missing = api.post("/api/sequences/999999/stop", json={"reason": "x"})
    assert (missing.status_code, missing.json()["code"]) == (404, "sequence_not_found")
    only_active = api.get("/api/sequences", params={"status": "active"}).json()["sequences"]
    assert row.id not in [s["id"] for s in only_active]
    assert api.get("/api/sequences", params={"status": "nonsense"}).status_code == 422


def test_the_cli_lists_shows_sets_a_cadence_runs_due_touches_and_stops(
    cli: RunCli, services: Services
) -> None:
    row = enrolled(services, "bo@cli.example")
    listed = cli("sequences", "list", "--contact", "bo@cli.example", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [s["id"] for s in json.loads(listed.stdout)["sequences"]] == [row.id]
    shown = json.loads(cli("sequences", "show", str(row.id)).stdout)
    assert (shown["cadence_days"], shown["max_touches"]) == ([3, 5, 7], 3)

    cadence = cli(
        "sequences", "set-cadence", "bo@cli.example", "--days", "2,4", "--reason", "asked"
    )
    assert cadence.returncode == 0, cadence.stderr
    with services.pool.connection() as conn:
        changed = get_sequence(conn, row.id)
    assert changed is not None and (changed.cadence_days, changed.max_touches) == ([2, 4], 2)
    bad = cli("sequences", "set-cadence", "bo@cli.example", "--days", "0", "--reason", "x")
    assert bad.returncode == 2 and "--days" in bad.stderr

    early = cli("sequences", "run-due", "--now", "2026-03-04T09:00:00+00:00", "--json")
    assert early.returncode == 0, early.stderr
    assert row.id not in [q["sequence_id"] for q in json.loads(early.stdout)["queued"]]
    due = json.loads(cli("sequences", "run-due", "--now", "2026-03-05T09:00:00Z", "--json").stdout)
    assert {"sequence_id": row.id, "touch": 1} in due["queued"]
    assert due["now"] == "2026-03-05T09:00:00+00:00"
    again = json.loads(
        cli("sequences", "run-due", "--now", "2026-03-05T09:05:00Z", "--json").stdout
    )
    assert row.id not in [q["sequence_id"] for q in again["queued"]]  # claimed once only
    assert cli("sequences", "run-due", "--now", "tomorrow").returncode == 2

    stopped = cli("sequences", "stop", str(row.id), "--reason", "meeting booked by phone")
    assert stopped.returncode == 0, stopped.stderr
    twice = cli("sequences", "stop", str(row.id), "--reason", "again")
    assert twice.returncode == 2 and "already ended" in twice.stderr
