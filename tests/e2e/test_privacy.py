"""`privacy export` / `privacy erase`: after an erasure no table or index holds the person.

The lead is taken to its approval (and so into a follow-up sequence), the mailbox indexed, a
memory kept about them and their address suppressed; the export shows all of it. After
`privacy erase`, a plain `pg_dump` of the whole database (checkpoint blobs decoded) holds
neither their address nor their name, the address is still suppressed (by its keyed hash),
and `audit verify` passes.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime
from typing import Any

import pytest
from langgraph.store.postgres import PostgresStore

from sales_agent.db.embedded import POSTGRES_BIN_PATH
from sales_agent.domain import Trigger
from sales_agent.domain.sequence import Cadence
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, resume, start
from sales_agent.memory.gmail_index import index_gmail
from sales_agent.memory.operator_memory import OperatorMemory, contact_label
from sales_agent.policy.sequence_admin import set_cadence
from sales_agent.policy.suppression import SuppressionReason, is_suppressed, suppress
from sales_agent.services import Services

pytestmark = pytest.mark.slow

EMAIL = "priya@northwind-logistics.example"
NAME = "Priya Natarajan"
OTHER = "sam@example.com"
NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def footprint(services: Services, graph: FollowupGraph) -> Services:
    """The person's data in every place the product keeps it."""
    start(
        graph,
        Trigger(source="gmail", gmail_thread_id="thr-northwind-001"),
        FollowupContext(now=NOW),
    )
    # Approved: the lead is enrolled in a follow-up sequence, with a cadence of their own.
    resume(graph, "gmail:thr-northwind-001", [{"type": "accept"}], FollowupContext(now=NOW))
    with services.pool.connection() as conn:
        cadence = Cadence(days=(2,), max_touches=1)
        set_cadence(conn, email=EMAIL, cadence=cadence, actor="tests", reason="asked for less")
    index_gmail(services)
    with services.pool.connection() as conn:
        # Mail a sync stored and the embedding drain has not reached yet.
        conn.execute(
            "INSERT INTO memory_message_backlog (message_id, content, metadata) "
            "SELECT langchain_id, content, jsonb_build_object("
            "'contact_email', contact_email, 'thread_id', thread_id) "
            "FROM memory_messages WHERE contact_email = %s",
            (EMAIL,),
        )
    memory = OperatorMemory(PostgresStore(conn=services.pool), services.settings.operator_email)
    memory.remember_fact(EMAIL, f"{NAME} prefers calls on Tuesdays", source="operator")
    memory.remember_fact(OTHER, "Sam reads email at night", source="operator")
    with services.pool.connection() as conn:
        suppress(conn, value=EMAIL, kind="email", reason=SuppressionReason.MANUAL, actor="tests")
    return services


def dump(database_url: str) -> str:
    """The whole database as SQL text, with every bytea value decoded alongside."""
    text = subprocess.run(
        [str(POSTGRES_BIN_PATH / "pg_dump"), database_url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    blobs = re.findall(r"\\\\x([0-9a-f]+)", text)
    decoded = "\n".join(bytes.fromhex(blob).decode("utf-8", "replace") for blob in blobs)
    return f"{text}\n{decoded}"


def found(haystack: str) -> list[str]:
    needles = [EMAIL, NAME, NAME.split()[-1], contact_label(EMAIL)]
    return [needle for needle in needles if needle.lower() in haystack.lower()]


def test_export_then_erase_leaves_nothing_but_the_hashed_suppression(
    footprint: Services, cli: Any, database_url: str
) -> None:
    assert found(dump(database_url)) != []  # the search would see the person if they were there

    exported = cli("privacy", "export", EMAIL.upper())
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert document["email"] == EMAIL and document["names"] == [NAME]
    assert "gmail:thr-northwind-001" in document["threads"]
    assert document["drafts"] and document["drafts"][0]["contact_email"] == EMAIL
    assert document["audit_events"] and document["memory_messages"]
    assert document["memory_message_backlog"]
    assert [row["value"]["fact"] for row in document["store"]] == [
        f"{NAME} prefers calls on Tuesdays"
    ]
    assert document["suppressions"][0]["reason"] == "MANUAL"
    assert "gmail:thr-northwind-001" in document["thread_states"]
    assert [row["status"] for row in document["sequences"]] == ["active"]
    assert document["sequence_cadences"][0]["cadence_days"] == [2]

    erased = cli("privacy", "erase", EMAIL, "--reason", "erasure request 42", "--actor", "dpo")
    assert erased.returncode == 0, erased.stderr
    report = json.loads(erased.stdout)
    assert report["removed"]["drafts"] >= 1 and report["audit_events_erased"] >= 1

    assert found(dump(database_url)) == []
    assert cli("audit", "verify").returncode == 0
    with footprint.pool.connection() as conn:
        entry = is_suppressed(conn, EMAIL)
        event = conn.execute(
            "SELECT actor, reason, metadata FROM audit_log WHERE action = 'subject_erased'"
        ).fetchone()
        others = conn.execute("SELECT count(*) AS n FROM memory_messages").fetchone()
    assert entry is not None and entry.kind == "erased" and entry.value == report["erased_hash"]
    assert event is not None and (event["actor"], event["reason"]) == ("dpo", "erasure request 42")
    assert others is not None and others["n"] > 0  # everyone else's mail is still indexed
    memory = OperatorMemory(PostgresStore(conn=footprint.pool), footprint.settings.operator_email)
    assert [fact.fact for fact in memory.facts_for(OTHER)] == ["Sam reads email at night"]

    again = json.loads(cli("privacy", "export", EMAIL).stdout)
    assert again["threads"] == [] and again["drafts"] == [] and again["audit_events"] == []
