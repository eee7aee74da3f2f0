"""Mode, kill switch and feature flags on a real database: defaults, audit, determinism."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from psycopg import Connection
from psycopg.rows import DictRow, dict_row

from sales_agent.config import Mode
from sales_agent.policy.audit import AuditError
from sales_agent.policy.flags import (
    FeatureFlag,
    FlagError,
    flag_bucket,
    flag_enabled,
    list_flags,
    set_flag,
)
from sales_agent.policy.mode import current_mode, kill_switch_engaged, set_kill_switch, set_mode

if TYPE_CHECKING:
    from conftest import AuditTail

SUBJECTS = [f"lead{i}@company{i % 37}.example" for i in range(4000)]


@pytest.fixture(scope="module")
def conn(module_conn: Connection[DictRow]) -> Connection[DictRow]:
    """The module's tests share one connection."""
    return module_conn


# --- mode and kill switch -----------------------------------------------------------------


def test_defaults_are_draft_only_and_the_switch_off(conn: Connection[DictRow]) -> None:
    assert current_mode(conn) is Mode.DRAFT_ONLY
    assert kill_switch_engaged(conn) is False


def test_a_mode_change_is_audited_with_actor_and_reason(
    conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    set_mode(conn, mode=Mode.SEND_ALLOWED, actor="dana", reason="pilot approved by legal")

    assert current_mode(conn) is Mode.SEND_ALLOWED
    (event,) = audit_tail.events()
    assert (event["action"], event["actor"], event["reason"]) == (
        "mode_changed",
        "dana",
        "pilot approved by legal",
    )
    assert event["metadata"] == {"from": "DRAFT_ONLY", "to": "SEND_ALLOWED"}
    stored = conn.execute("SELECT updated_by FROM runtime_settings WHERE key = 'mode'").fetchone()
    assert stored == {"updated_by": "dana"}

    set_mode(conn, mode=Mode.DRAFT_ONLY, actor="dana", reason="pilot over")
    assert current_mode(conn) is Mode.DRAFT_ONLY


def test_a_change_without_a_reason_changes_nothing(
    conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    with pytest.raises(AuditError, match="needs a reason"):
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="dana", reason="  ")
    with pytest.raises(AuditError, match="needs an actor"):
        set_kill_switch(conn, engaged=True, actor="", reason="incident")

    # The change and its audit event share one transaction: the refusal undid both.
    assert current_mode(conn) is Mode.DRAFT_ONLY
    assert kill_switch_engaged(conn) is False
    assert audit_tail.events() == []


def test_the_kill_switch_is_engaged_and_released_with_audit(
    conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    set_kill_switch(conn, engaged=True, actor="amara", reason="wrong pricing in drafts")
    assert kill_switch_engaged(conn) is True
    set_kill_switch(conn, engaged=True, actor="amara", reason="still investigating")
    set_kill_switch(conn, engaged=False, actor="tomas", reason="fixed")
    assert kill_switch_engaged(conn) is False

    events = audit_tail.events()
    assert [(e["action"], e["actor"], e["reason"]) for e in events] == [
        ("kill_switch_engaged", "amara", "wrong pricing in drafts"),
        ("kill_switch_engaged", "amara", "still investigating"),
        ("kill_switch_released", "tomas", "fixed"),
    ]
    assert [e["metadata"] for e in events] == [
        {"was": False, "now": True},
        {"was": True, "now": True},
        {"was": True, "now": False},
    ]


def test_the_kill_switch_is_seen_by_another_connection_at_once(
    conn: Connection[DictRow], database_url: str
) -> None:
    with psycopg.connect(database_url, autocommit=True, row_factory=dict_row) as other:
        assert kill_switch_engaged(other) is False
        set_kill_switch(conn, engaged=True, actor="dana", reason="drill")
        assert kill_switch_engaged(other) is True
        set_kill_switch(conn, engaged=False, actor="dana", reason="drill over")
        assert kill_switch_engaged(other) is False


# --- feature flags ------------------------------------------------------------------------


def test_flags_are_seeded(conn: Connection[DictRow]) -> None:
    flags = {flag.name: (flag.enabled, flag.rollout_percent) for flag in list_flags(conn)}
    assert flags == {
        "AUTO_SEND_FOLLOWUP": (False, 100),
        "LONG_MEMORY_ENABLED": (True, 100),
        "STORY_PITCH_ENABLED": (False, 100),
    }
    assert flag_enabled(conn, "LONG_MEMORY_ENABLED", subject="priya@northwind-logistics.example")
    assert flag_enabled(conn, "LONG_MEMORY_ENABLED")
    assert not flag_enabled(
        conn, "STORY_PITCH_ENABLED", subject="priya@northwind-logistics.example"
    )


def test_an_unknown_flag_is_a_clear_error(conn: Connection[DictRow]) -> None:
    with pytest.raises(FlagError, match="unknown feature flag 'STORY_PITCH'; known flags: AUTO"):
        flag_enabled(conn, "STORY_PITCH")
    with pytest.raises(FlagError, match="unknown feature flag"):
        set_flag(conn, name="NOPE", enabled=True, actor="dana", reason="try")


def test_buckets_are_stable_across_processes() -> None:
    # Pinned values: a change of formula (or Python's salted hash()) would move contacts
    # in or out of a rollout between processes and releases.
    assert flag_bucket("STORY_PITCH_ENABLED", "priya@northwind-logistics.example") == 21
    assert flag_bucket("AUTO_SEND_FOLLOWUP", "priya@northwind-logistics.example") == 5
    assert flag_bucket("STORY_PITCH_ENABLED", " Priya@Northwind-Logistics.example ") == 21


def test_a_partial_rollout_is_deterministic_per_contact(
    conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    flag = set_flag(
        conn,
        name="STORY_PITCH_ENABLED",
        enabled=True,
        rollout_percent=30,
        actor="dana",
        reason="pilot with 30% of leads",
    )
    assert (flag.enabled, flag.rollout_percent, flag.updated_by) == (True, 30, "dana")
    (event,) = audit_tail.events()
    assert (event["action"], event["reason"]) == ("flag_changed", "pilot with 30% of leads")
    assert event["metadata"] == {
        "flag": "STORY_PITCH_ENABLED",
        "from": {"enabled": False, "rollout_percent": 100},
        "to": {"enabled": True, "rollout_percent": 30},
    }

    sample = SUBJECTS[:200]
    first = [flag_enabled(conn, "STORY_PITCH_ENABLED", subject=s) for s in sample]
    again = [flag_enabled(conn, "STORY_PITCH_ENABLED", subject=s) for s in sample]
    assert first == again
    share = sum(flag.applies_to(s) for s in SUBJECTS) / len(SUBJECTS)
    assert 0.27 <= share <= 0.33
    # Without a subject a partial rollout says no: nothing to bucket, so change nothing.
    assert flag_enabled(conn, "STORY_PITCH_ENABLED") is False


def test_rollout_extremes_and_disabled(conn: Connection[DictRow]) -> None:
    def share(**change: Any) -> float:
        flag = set_flag(conn, name="AUTO_SEND_FOLLOWUP", actor="dana", reason="test", **change)
        return sum(flag.applies_to(s) for s in SUBJECTS) / len(SUBJECTS)

    assert share(enabled=True, rollout_percent=0) == 0.0
    assert share(rollout_percent=100) == 1.0
    assert share(enabled=False) == 0.0  # disabled: off for everyone, whatever the rollout
    stored = {f.name: f for f in list_flags(conn)}["AUTO_SEND_FOLLOWUP"]
    assert (stored.enabled, stored.rollout_percent) == (False, 100)


def test_raising_the_rollout_only_adds_contacts() -> None:
    def on(percent: int) -> set[str]:
        flag = FeatureFlag(
            name="X",
            enabled=True,
            rollout_percent=percent,
            description="",
            updated_at=datetime(2026, 11, 24, tzinfo=UTC),
            updated_by="t",
        )
        return {s for s in SUBJECTS if flag.applies_to(s)}

    assert on(10) <= on(30) <= on(60)
    assert len(on(10)) < len(on(30)) < len(on(60))


def test_an_invalid_rollout_is_refused(conn: Connection[DictRow]) -> None:
    with pytest.raises(FlagError, match="out of range: use 0 to 100"):
        set_flag(conn, name="AUTO_SEND_FOLLOWUP", rollout_percent=101, actor="d", reason="r")
