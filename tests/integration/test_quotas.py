"""Quotas from the send ledger on a real database: every limit, windows, release, idempotency."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.policy.audit import AuditError
from sales_agent.policy.quotas import (
    LedgerError,
    QuotaExceeded,
    QuotaLimits,
    check_quota,
    load_limits,
    mark_sent,
    quota_status,
    release,
    reserve,
    reset_quotas,
    set_limits,
)

if TYPE_CHECKING:
    from conftest import AuditTail

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # London is on GMT until 29 March
SUMMER_MONDAY = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # ... and on BST (UTC+1) here
_keys = itertools.count()


@pytest.fixture
def conn(conn: Connection[DictRow]) -> Connection[DictRow]:
    conn.execute("DELETE FROM send_ledger")
    conn.execute("DELETE FROM runtime_settings WHERE key = 'quota_limits'")
    return conn


def limits(conn: Connection[DictRow], **values: int) -> None:
    set_limits(conn, limits=QuotaLimits(**values), actor="test", reason="test limits")


def send(
    conn: Connection[DictRow], contact: str, at: datetime, kind: Any = "followup", **extra: Any
) -> int:
    key = extra.pop("key", f"k{next(_keys)}")
    return reserve(conn, kind=kind, contact_email=contact, idempotency_key=key, now=at, **extra)


def refused(conn: Connection[DictRow], contact: str, at: datetime, **extra: Any) -> QuotaExceeded:
    with pytest.raises(QuotaExceeded) as caught:
        send(conn, contact, at, **extra)
    return caught.value


def ledger_rows(conn: Connection[DictRow]) -> int:
    row = conn.execute("SELECT count(*) AS n FROM send_ledger").fetchone()
    assert row is not None
    return int(row["n"])


def test_defaults_are_the_spec_and_stored_limits_override_them(
    conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    assert load_limits(conn) == QuotaLimits(
        global_daily=50,
        global_weekly=200,
        contact_7_days=1,
        contact_weekly=2,
        story_daily=20,
        story_contact_14_days=1,
        story_execution=50,
    )
    limits(conn, global_daily=7)
    assert load_limits(conn).global_daily == 7
    assert load_limits(conn).global_weekly == 200
    event = audit_tail.events()[0]
    assert (event["action"], event["actor"], event["reason"]) == (
        "quota_limits_changed",
        "test",
        "test limits",
    )
    assert (event["metadata"]["from"]["global_daily"], event["metadata"]["to"]["global_daily"]) == (
        50,
        7,
    )
    with pytest.raises(AuditError, match="reason"):
        set_limits(conn, limits=QuotaLimits(global_daily=1), actor="test", reason="")
    assert load_limits(conn).global_daily == 7, "a refused change is not stored"


def test_global_daily_is_the_operators_calendar_day(conn: Connection[DictRow]) -> None:
    limits(conn, global_daily=3)
    for hour in (1, 2, 3):
        send(conn, f"c{hour}@x.example", MONDAY.replace(hour=hour))

    refusal = refused(conn, "c4@x.example", MONDAY.replace(hour=23, minute=59))
    assert (refusal.quota_type, refusal.limit, refusal.current) == ("global_daily", 3, 3)
    assert refusal.reset_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    assert "global-daily" in refusal.message
    send(conn, "c4@x.example", datetime(2026, 3, 3, 0, 0, tzinfo=UTC))


def test_global_weekly_is_the_iso_week(conn: Connection[DictRow]) -> None:
    limits(conn, global_weekly=4)
    for day in range(4):
        send(conn, f"c{day}@x.example", MONDAY + timedelta(days=day))

    refusal = refused(conn, "late@x.example", MONDAY + timedelta(days=6, hours=14))
    assert (refusal.quota_type, refusal.limit, refusal.current) == ("global_weekly", 4, 4)
    assert refusal.reset_at == datetime(2026, 3, 9, 0, 0, tzinfo=UTC)
    send(conn, "late@x.example", datetime(2026, 3, 9, 0, 0, tzinfo=UTC))


def test_one_send_per_contact_per_rolling_7_days(conn: Connection[DictRow]) -> None:
    send(conn, "Priya@N.example", MONDAY)

    refusal = refused(conn, "priya@n.example", MONDAY + timedelta(days=6, hours=23))
    assert (refusal.quota_type, refusal.limit, refusal.current) == ("contact_7_days", 1, 1)
    assert refusal.reset_at == MONDAY + timedelta(days=7)
    send(conn, "other@n.example", MONDAY + timedelta(hours=1))
    send(conn, "priya@n.example", MONDAY + timedelta(days=7))


def test_two_sends_per_contact_per_iso_week_in_the_operators_zone(
    conn: Connection[DictRow],
) -> None:
    limits(conn, contact_7_days=5)
    send(conn, "p@n.example", SUMMER_MONDAY)
    send(conn, "p@n.example", SUMMER_MONDAY + timedelta(days=1))

    refusal = refused(conn, "p@n.example", SUMMER_MONDAY + timedelta(days=6, hours=13))
    assert (refusal.quota_type, refusal.limit, refusal.current) == ("contact_weekly", 2, 2)
    # Monday 00:00 in London is 23:00 UTC on Sunday in summer.
    week_end = datetime(2026, 6, 7, 23, 0, tzinfo=UTC)
    assert refusal.reset_at == week_end
    send(conn, "p@n.example", week_end)


def test_stories_per_day_count_stories_only(conn: Connection[DictRow]) -> None:
    limits(conn, story_daily=2)
    send(conn, "a@n.example", MONDAY, kind="story", story_id="s1")
    send(conn, "b@n.example", MONDAY, kind="story", story_id="s1")

    refusal = refused(conn, "c@n.example", MONDAY, kind="story", story_id="s1")
    assert (refusal.quota_type, refusal.limit, refusal.current) == ("story_daily", 2, 2)
    assert refusal.reset_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    send(conn, "c@n.example", MONDAY, kind="followup")


def test_one_story_per_contact_per_14_days(conn: Connection[DictRow]) -> None:
    limits(conn, contact_7_days=9, contact_weekly=9)
    send(conn, "p@n.example", MONDAY, kind="story", story_id="s1")
    send(conn, "p@n.example", MONDAY + timedelta(days=1), kind="followup")

    refusal = refused(conn, "p@n.example", MONDAY + timedelta(days=13), kind="story")
    assert (refusal.quota_type, refusal.limit, refusal.current) == ("story_contact_14_days", 1, 1)
    assert refusal.reset_at == MONDAY + timedelta(days=14)
    send(conn, "p@n.example", MONDAY + timedelta(days=14), kind="story", story_id="s2")


def test_stories_per_execution_have_no_window(conn: Connection[DictRow]) -> None:
    limits(conn, story_execution=3)
    for day in range(3):
        at = MONDAY + timedelta(days=30 * day)
        send(conn, f"c{day}@n.example", at, kind="story", execution_id="exec-1")

    later = MONDAY + timedelta(days=365)
    refusal = refused(conn, "d@n.example", later, kind="story", execution_id="exec-1")
    assert (refusal.quota_type, refusal.limit, refusal.current) == ("story_execution", 3, 3)
    assert refusal.reset_at is None
    assert "does not free up by itself" in refusal.message
    send(conn, "d@n.example", later, kind="story", execution_id="exec-2")


def test_over_a_lowered_limit_the_reset_waits_for_enough_sends_to_leave(
    conn: Connection[DictRow],
) -> None:
    limits(conn, contact_7_days=3, contact_weekly=9)
    for hour in (1, 2, 3):
        send(conn, "p@n.example", MONDAY.replace(hour=hour))
    limits(conn, contact_7_days=1, contact_weekly=9)

    refusal = refused(conn, "p@n.example", MONDAY.replace(hour=4))
    assert (refusal.limit, refusal.current) == (1, 3)
    assert refusal.reset_at == MONDAY.replace(hour=3) + timedelta(days=7)


def test_check_quota_reads_only(conn: Connection[DictRow]) -> None:
    assert check_quota(conn, kind="followup", contact_email="p@n.example", now=MONDAY) is None
    send(conn, "p@n.example", MONDAY)
    refusal = check_quota(conn, kind="followup", contact_email="P@N.example", now=MONDAY)
    assert refusal is not None and refusal.quota_type == "contact_7_days"
    assert ledger_rows(conn) == 1


def test_reserve_is_idempotent_by_key(conn: Connection[DictRow]) -> None:
    first = send(conn, "p@n.example", MONDAY, key="draft-1:send")
    # The contact is at its limit now, yet the same key gets its reservation back.
    assert send(conn, "p@n.example", MONDAY + timedelta(hours=1), key="draft-1:send") == first
    assert ledger_rows(conn) == 1
    with pytest.raises(LedgerError, match="another send"):
        send(conn, "q@n.example", MONDAY, key="draft-1:send")


def test_a_released_reservation_stops_counting(conn: Connection[DictRow]) -> None:
    send(conn, "p@n.example", MONDAY, key="a")
    assert release(conn, idempotency_key="a", now=MONDAY) is True
    assert release(conn, idempotency_key="a", now=MONDAY) is False
    assert release(conn, idempotency_key="never", now=MONDAY) is False

    assert send(conn, "p@n.example", MONDAY, key="b")
    # A released key reserved again is counted afresh, so here it meets the contact's limit.
    refusal = refused(conn, "p@n.example", MONDAY, key="a")
    assert refusal.quota_type == "contact_7_days"
    release(conn, idempotency_key="b", now=MONDAY)
    revived = send(conn, "p@n.example", MONDAY, key="a")
    row = conn.execute("SELECT * FROM send_ledger WHERE id = %s", [revived]).fetchone()
    assert row is not None and (row["status"], row["released_at"]) == ("reserved", None)


def test_a_recount_checks_a_booked_reservation_afresh_and_keeps_it_when_refused(
    conn: Connection[DictRow],
) -> None:
    limits(conn, global_daily=2)
    booked = send(conn, "p@n.example", MONDAY, key="booked")
    send(conn, "q@n.example", MONDAY, key="other")
    # Counted afresh without its own reservation: 1 other send of 2 today, so it may go.
    later = MONDAY + timedelta(hours=2)
    assert send(conn, "p@n.example", later, key="booked", recount=True) == booked
    row = conn.execute("SELECT * FROM send_ledger WHERE id = %s", [booked]).fetchone()
    assert row is not None and (row["status"], row["reserved_at"]) == ("reserved", later)
    assert ledger_rows(conn) == 2

    limits(conn, global_daily=1)  # lowered after the booking: the recount sees it
    refusal = refused(conn, "p@n.example", later, key="booked", recount=True)
    assert refusal.quota_type == "global_daily"
    row = conn.execute("SELECT * FROM send_ledger WHERE id = %s", [booked]).fetchone()
    assert row is not None and (row["status"], row["reserved_at"]) == ("reserved", later)
    # Without a recount, a reservation already held is returned as it is.
    assert send(conn, "p@n.example", later, key="booked") == booked


def test_mark_sent_keeps_counting_and_cannot_be_released(conn: Connection[DictRow]) -> None:
    send(conn, "p@n.example", MONDAY, key="a")
    mark_sent(conn, idempotency_key="a", now=MONDAY + timedelta(minutes=1))
    mark_sent(conn, idempotency_key="a")

    row = conn.execute("SELECT * FROM send_ledger WHERE idempotency_key = 'a'").fetchone()
    assert row is not None
    assert (row["status"], row["sent_at"]) == ("sent", MONDAY + timedelta(minutes=1))
    with pytest.raises(LedgerError, match="was sent"):
        release(conn, idempotency_key="a")
    assert refused(conn, "p@n.example", MONDAY).quota_type == "contact_7_days"
    with pytest.raises(LedgerError, match="reserve it first"):
        mark_sent(conn, idempotency_key="unknown")
    send(conn, "q@n.example", MONDAY, key="b")
    release(conn, idempotency_key="b")
    with pytest.raises(LedgerError, match="released"):
        mark_sent(conn, idempotency_key="b")


def test_quota_status_reports_limit_used_remaining_and_reset(conn: Connection[DictRow]) -> None:
    send(conn, "p@n.example", MONDAY, kind="story", execution_id="e1")
    send(conn, "q@n.example", MONDAY + timedelta(hours=1))

    status = {
        q.quota_type: q
        for q in quota_status(
            conn, contact_email="P@n.example", execution_id="e1", now=MONDAY + timedelta(hours=2)
        )
    }
    assert list(status) == [
        "contact_7_days",
        "contact_weekly",
        "story_contact_14_days",
        "story_execution",
        "story_daily",
        "global_daily",
        "global_weekly",
    ]
    daily = status["global_daily"]
    assert (daily.limit, daily.used, daily.remaining) == (50, 2, 48)
    assert daily.reset_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    contact = status["contact_7_days"]
    assert (contact.used, contact.remaining, contact.reset_at) == (1, 0, MONDAY + timedelta(days=7))
    assert (status["story_execution"].used, status["story_execution"].reset_at) == (1, None)
    assert status["story_daily"].used == 1

    anonymous = {q.quota_type: q for q in quota_status(conn, now=MONDAY)}
    assert anonymous["contact_7_days"].used is None
    assert anonymous["contact_7_days"].limit == 1
    assert anonymous["global_weekly"].used == 2


def test_reset_releases_what_counts_now_and_is_audited(conn: Connection[DictRow]) -> None:
    old = send(conn, "p@n.example", MONDAY - timedelta(days=30))
    old_story = send(
        conn, "s@n.example", MONDAY - timedelta(days=30), kind="story", execution_id="e"
    )
    send(conn, "p@n.example", MONDAY, key="now")
    mark_sent(conn, idempotency_key="now", now=MONDAY)
    send(conn, "q@n.example", MONDAY + timedelta(hours=1))

    released = reset_quotas(
        conn, actor="dana", reason="test burst", now=MONDAY + timedelta(hours=2)
    )

    assert released == 3
    rows = {r["id"]: r for r in conn.execute("SELECT * FROM send_ledger")}
    assert rows[old]["status"] == "reserved", "outside every window: left alone"
    assert rows[old_story]["status"] == "released", "counts for its execution: released"
    assert all(r["status"] == "released" for i, r in rows.items() if i != old)
    assert rows[next(i for i, r in rows.items() if r["idempotency_key"] == "now")]["sent_at"]
    assert all(q.used in (0, None) for q in quota_status(conn, now=MONDAY + timedelta(hours=2)))
    event = conn.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert event is not None
    assert (event["action"], event["actor"], event["reason"]) == (
        "quotas_reset",
        "dana",
        "test burst",
    )
    assert event["metadata"]["released"] == 3


def test_a_limit_of_zero_stops_that_kind_of_send_for_good(conn: Connection[DictRow]) -> None:
    limits(conn, story_daily=0)

    refusal = refused(conn, "p@n.example", MONDAY, kind="story")
    assert (refusal.quota_type, refusal.limit, refusal.current, refusal.reset_at) == (
        "story_daily",
        0,
        0,
        None,
    )
    send(conn, "p@n.example", MONDAY)
