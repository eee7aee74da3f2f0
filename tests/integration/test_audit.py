"""The audit log on a real database: append-only, hash chain verification, query, CSV export.

Tampering happens inside a transaction that is rolled back, as a superuser who can switch
the append-only trigger off: the module's log stays intact for the other tests.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from psycopg import Connection, Rollback
from psycopg.rows import DictRow

from sales_agent.policy import audit
from sales_agent.policy.audit import (
    AuditError,
    export_csv,
    query_events,
    record_event,
    verify_chain,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_INSERT_AT = """
INSERT INTO audit_log (occurred_at, actor, action, contact_email, company_id, draft_id, reason)
VALUES (%s, 'test', %s, %s, %s, %s, %s) RETURNING id
"""


@pytest.fixture(scope="module")
def conn(module_conn: Connection[DictRow]) -> Connection[DictRow]:
    for n in range(12):
        record_event(module_conn, actor="seed", action="seeded", reason=f"row {n}")
    return module_conn


def unique_email() -> str:
    return f"lead-{uuid.uuid4().hex[:8]}@example.com"


def insert_at(
    conn: Connection[DictRow],
    when: datetime,
    *,
    contact: str | None = None,
    company: str | None = None,
    draft: str | None = None,
    action: str = "drafted",
    reason: str = "",
) -> int:
    row = conn.execute(_INSERT_AT, [when, action, contact, company, draft, reason]).fetchone()
    assert row is not None
    return int(row["id"])


def ids(conn: Connection[DictRow], where: str = "true") -> list[int]:
    return [r["id"] for r in conn.execute(f"SELECT id FROM audit_log WHERE {where} ORDER BY id")]


# --- writing ------------------------------------------------------------------------------


def test_record_event_stores_contact_company_and_redacted_metadata(
    conn: Connection[DictRow],
) -> None:
    draft = str(uuid.uuid4())
    event_id = record_event(
        conn,
        actor="agent",
        action="drafted",
        thread_id="gmail:thr-1",
        draft_id=draft,
        contact_email="Priya@Northwind-Logistics.example",
        company_id="2001",
        reason="gate passed",
        metadata={"note": "copied priya@northwind-logistics.example", "words": 80},
    )
    row = conn.execute("SELECT * FROM audit_log WHERE id = %s", [event_id]).fetchone()
    assert row is not None
    assert (row["contact_email"], row["company_id"], str(row["draft_id"])) == (
        "priya@northwind-logistics.example",
        "2001",
        draft,
    )
    assert row["metadata"]["words"] == 80
    assert "priya@northwind-logistics.example" not in json.dumps(row["metadata"])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET reason = 'rewritten' WHERE id = (SELECT min(id) FROM audit_log)",
        "DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)",
        "TRUNCATE audit_log",
    ],
)
def test_the_log_refuses_update_delete_and_truncate(
    conn: Connection[DictRow], statement: str
) -> None:
    before = ids(conn, "true")
    assert before, "the log has rows to protect"
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
        conn.execute(statement)
    assert ids(conn, "true") == before


# --- the chain ----------------------------------------------------------------------------


def test_a_clean_chain_verifies_in_batches(conn: Connection[DictRow]) -> None:
    total = len(ids(conn))
    assert verify_chain(conn).model_dump() == {
        "rows_checked": total,
        "first_broken_id": None,
        "problem": None,
        "detail": "",
    }
    assert verify_chain(conn, batch_size=5).rows_checked == total


def tampered(conn: Connection[DictRow], row_id: int, *statements: str) -> audit.ChainReport:
    """Run `statements` on row `row_id` behind the trigger's back, verify, roll back."""
    report = None
    with conn.transaction():
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        for statement in statements:
            conn.execute(statement, [row_id])
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
        report = verify_chain(conn, batch_size=4)
        raise Rollback()
    assert report is not None
    return report


def test_a_row_changed_behind_the_triggers_back_is_named(conn: Connection[DictRow]) -> None:
    victim = ids(conn)[6]
    report = tampered(conn, victim, "UPDATE audit_log SET reason = 'nothing' WHERE id = %s")

    assert (report.first_broken_id, report.problem) == (victim, "content changed")
    assert report.rows_checked == 7
    assert verify_chain(conn).intact, "the rollback restored the row"


def test_a_row_rehashed_after_a_change_breaks_the_chain_at_the_next_row(
    conn: Connection[DictRow],
) -> None:
    victim, following = ids(conn)[3:5]
    report = tampered(
        conn,
        victim,
        "UPDATE audit_log SET reason = 'forged' WHERE id = %s",
        "UPDATE audit_log AS a SET hash = audit_log_row_hash(a, a.prev_hash) WHERE id = %s",
    )
    assert (report.first_broken_id, report.problem) == (following, "chain broken")


def test_a_deleted_row_breaks_the_chain_at_the_next_row(conn: Connection[DictRow]) -> None:
    first, second, *_, victim, following = ids(conn)[:10]

    report = tampered(conn, victim, "DELETE FROM audit_log WHERE id = %s")
    assert (report.first_broken_id, report.problem) == (following, "chain broken")

    # Removing the first row leaves the second pointing at a hash that is not "genesis".
    report = tampered(conn, first, "DELETE FROM audit_log WHERE id = %s")
    assert (report.first_broken_id, report.problem, report.rows_checked) == (
        second,
        "chain broken",
        1,
    )


# --- query and export ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def history(conn: Connection[DictRow]) -> dict[str, Any]:
    """Seven events of one contact over seven days, and distractors around them."""
    contact, company, draft = unique_email(), f"co-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    mine = [
        insert_at(
            conn,
            T0 + timedelta(days=n),
            contact=contact,
            company=company if n % 2 == 0 else None,
            draft=draft if n >= 5 else None,
            reason=f"day {n}, with a comma",
        )
        for n in range(7)
    ]
    others = [insert_at(conn, T0 + timedelta(days=n), contact=unique_email()) for n in range(3)]
    return {"contact": contact, "company": company, "draft": draft, "mine": mine, "others": others}


def test_query_filters(conn: Connection[DictRow], history: dict[str, Any]) -> None:
    def found(**filters: Any) -> list[int]:
        return [e.id for e in query_events(conn, **filters, page_size=100).events]

    mine = history["mine"]
    assert found(contact_email=history["contact"].upper()) == mine
    assert found(company_id=history["company"]) == mine[0::2]
    assert found(draft_id=history["draft"]) == mine[5:]
    assert found(contact_email=history["contact"], since=T0 + timedelta(days=2)) == mine[2:]
    assert found(contact_email=history["contact"], until=T0 + timedelta(days=2)) == mine[:2]
    assert found(
        company_id=history["company"],
        since=T0 + timedelta(days=1),
        until=T0 + timedelta(days=5),
    ) == [mine[2], mine[4]]
    assert found(contact_email="nobody@example.com") == []


def test_query_pages(conn: Connection[DictRow], history: dict[str, Any]) -> None:
    pages = [
        query_events(conn, contact_email=history["contact"], page=n, page_size=3)
        for n in (1, 2, 3, 4)
    ]
    assert [[e.id for e in p.events] for p in pages] == [
        history["mine"][0:3],
        history["mine"][3:6],
        history["mine"][6:],
        [],
    ]
    assert {(p.total, p.page_size) for p in pages} == {(7, 3)}
    event = pages[0].events[0]
    assert (event.occurred_at, event.action, event.reason) == (T0, "drafted", "day 0, with a comma")
    assert len(event.hash) == 64


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"page": 0}, "pages start at 1"),
        ({"page_size": 0}, "use 1 to 1000"),
        ({"page_size": 1001}, "use 1 to 1000"),
        ({"draft_id": "draft-7"}, "'draft-7' is not a draft id"),
        ({"since": datetime(2026, 3, 2)}, "'since' needs a time zone"),
    ],
)
def test_query_refuses_bad_arguments(
    conn: Connection[DictRow], filters: dict[str, Any], message: str
) -> None:
    with pytest.raises(AuditError, match=message):
        query_events(conn, **filters)


def test_csv_export(
    conn: Connection[DictRow], history: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "_EXPORT_BATCH", 2)  # walk several keyset batches
    out = io.StringIO()
    written = export_csv(conn, out, contact_email=history["contact"], since=T0 + timedelta(days=1))

    out.seek(0)
    reader = csv.DictReader(out)
    rows = list(reader)
    assert reader.fieldnames == [
        "id",
        "occurred_at",
        "actor",
        "action",
        "thread_id",
        "draft_id",
        "contact_email",
        "subject_ref",
        "company_id",
        "reason",
        "metadata",
        "prev_hash",
        "hash",
    ]
    assert written == len(rows) == 6
    assert [int(r["id"]) for r in rows] == history["mine"][1:]
    assert rows[0]["occurred_at"] == (T0 + timedelta(days=1)).isoformat()
    assert rows[0]["reason"] == "day 1, with a comma"
    assert rows[-1]["draft_id"] == history["draft"]
    assert rows[0]["company_id"] == "" and rows[1]["company_id"] == history["company"]
    assert json.loads(rows[0]["metadata"]) == {}


def test_csv_export_of_nothing_is_a_header(conn: Connection[DictRow]) -> None:
    out = io.StringIO()
    assert export_csv(conn, out, company_id="no-such-company") == 0
    assert out.getvalue().splitlines() == [
        "id,occurred_at,actor,action,thread_id,draft_id,contact_email,subject_ref,company_id,"
        "reason,metadata,prev_hash,hash"
    ]


def test_a_reason_is_hashed_so_it_is_stored_without_personal_data(
    conn: Connection[DictRow],
) -> None:
    event_id = record_event(
        conn,
        actor="operator",
        action="suppressed",
        contact_email="priya@northwind-logistics.example",
        reason="asked by priya@northwind-logistics.example to stop",
    )
    row = conn.execute("SELECT reason, subject_ref FROM audit_log WHERE id = %s", [event_id])
    stored = row.fetchone()
    assert stored is not None and stored["subject_ref"] is not None
    assert stored["reason"] == "asked by [EMAIL] to stop"
