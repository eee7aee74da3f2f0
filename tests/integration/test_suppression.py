"""The suppression list on a real database: emails, domains, expiry, renewal, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.policy.suppression import (
    SuppressionError,
    SuppressionNotFoundError,
    SuppressionReason,
    is_suppressed,
    kind_of,
    list_suppressions,
    suppress,
    unsuppress,
)

if TYPE_CHECKING:
    from conftest import AuditTail

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def conn(conn: Connection[DictRow]) -> Connection[DictRow]:
    conn.execute("DELETE FROM suppressions")
    return conn


def test_an_email_entry_suppresses_that_address_only(conn: Connection[DictRow]) -> None:
    entry = suppress(
        conn, value="Priya@Northwind.example", kind="email", reason="BOUNCED", actor="ops", now=T0
    )

    assert entry.value == "priya@northwind.example"
    assert entry.reason is SuppressionReason.BOUNCED
    assert entry.created_by == "ops"
    found = is_suppressed(conn, " PRIYA@northwind.EXAMPLE ", now=T0)
    assert found is not None and found.id == entry.id
    assert is_suppressed(conn, "sam@northwind.example", now=T0) is None


def test_a_domain_entry_suppresses_every_address_at_it_and_its_subdomains(
    conn: Connection[DictRow],
) -> None:
    entry = suppress(
        conn, value="Acme.Example", kind="domain", reason="MANUAL", actor="ops", now=T0
    )

    assert entry.value == "acme.example"
    for address in ("a@acme.example", "B.Person@ACME.example", "c@mail.acme.example"):
        found = is_suppressed(conn, address, now=T0)
        assert found is not None and found.id == entry.id, address
    assert is_suppressed(conn, "a@notacme.example", now=T0) is None
    assert is_suppressed(conn, "a@acme.example.org", now=T0) is None


def test_the_email_entry_wins_over_its_domain(conn: Connection[DictRow]) -> None:
    suppress(conn, value="acme.example", kind="domain", reason="MANUAL", actor="ops", now=T0)
    own = suppress(conn, value="a@acme.example", kind="email", reason="OPT_OUT", actor="x", now=T0)

    found = is_suppressed(conn, "a@acme.example", now=T0)
    assert found is not None and found.id == own.id


def test_an_entry_expires_a_year_after_creation(conn: Connection[DictRow]) -> None:
    entry = suppress(conn, value="a@b.example", kind="email", reason="MANUAL", actor="o", now=T0)

    assert entry.expires_at == datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
    assert is_suppressed(conn, "a@b.example", now=entry.expires_at - timedelta(seconds=1))
    assert is_suppressed(conn, "a@b.example", now=entry.expires_at) is None
    assert list_suppressions(conn, now=entry.expires_at) == []
    assert [s.id for s in list_suppressions(conn, include_expired=True, now=entry.expires_at)] == [
        entry.id
    ]


def test_suppressing_again_renews_for_a_year_from_then_and_keeps_the_stronger_reason(
    conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    first = suppress(conn, value="a@b.example", kind="email", reason="OPT_OUT", actor="o", now=T0)
    later = T0 + timedelta(days=300)
    renewed = suppress(
        conn, value="A@B.example", kind="email", reason="MANUAL", actor="p", now=later
    )

    assert renewed.id == first.id
    assert renewed.renewed_at == later
    assert renewed.expires_at == datetime(2027, 12, 27, 9, 0, tzinfo=UTC)
    assert renewed.reason is SuppressionReason.OPT_OUT
    assert renewed.created_at == T0
    assert is_suppressed(conn, "a@b.example", now=T0 + timedelta(days=400)) is not None
    assert audit_tail.actions() == ["suppressed", "suppression_renewed"]

    stronger = suppress(
        conn, value="a@b.example", kind="email", reason="COMPLAINT", actor="p", now=later
    )
    assert stronger.reason is SuppressionReason.OPT_OUT
    # An expired entry takes the new reason: it is a fresh suppression.
    fresh = suppress(
        conn,
        value="a@b.example",
        kind="email",
        reason="BOUNCED",
        actor="q",
        now=later + timedelta(days=800),
    )
    assert fresh.reason is SuppressionReason.BOUNCED


def test_each_change_is_audited_with_actor_reason_and_contact(
    conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    suppress(conn, value="c@d.example", kind="email", reason="COMPLAINT", actor="dana", now=T0)
    suppress(conn, value="d.example", kind="domain", reason="MANUAL", actor="dana", now=T0)
    removed = unsuppress(conn, value="C@D.example", actor="sam", reason="asked to hear again")

    assert removed.reason is SuppressionReason.COMPLAINT
    assert is_suppressed(conn, "c@d.example", now=T0) is not None, "the domain still covers it"
    events = audit_tail.events()
    assert [(e["action"], e["actor"], e["reason"], e["contact_email"]) for e in events] == [
        ("suppressed", "dana", "COMPLAINT", "c@d.example"),
        ("suppressed", "dana", "MANUAL", None),
        ("unsuppressed", "sam", "asked to hear again", "c@d.example"),
    ]
    assert events[1]["metadata"]["kind"] == "domain"


def test_unsuppress_needs_an_existing_entry_and_a_reason(conn: Connection[DictRow]) -> None:
    with pytest.raises(SuppressionNotFoundError, match="not on the suppression list"):
        unsuppress(conn, value="nobody@x.example", actor="o", reason="r")
    suppress(conn, value="x.example", kind="domain", reason="MANUAL", actor="o", now=T0)
    with pytest.raises(SuppressionError, match="needs a reason"):
        unsuppress(conn, value="x.example", actor="o", reason="  ")
    assert unsuppress(conn, value="X.example", actor="o", reason="mistake").value == "x.example"
    assert list_suppressions(conn, now=T0) == []


def test_an_unsubscribe_reply_opts_the_sender_out(
    conn: Connection[DictRow], audit_tail: AuditTail
) -> None:
    entry = suppress(
        conn,
        value="Priya@Northwind.example",
        kind="email",
        reason=SuppressionReason.OPT_OUT,
        actor="graph",
        source="unsubscribe_reply:gmail:thr-1",
        thread_id="gmail:thr-1",
        now=T0,
    )

    assert entry.reason is SuppressionReason.OPT_OUT
    assert entry.source == "unsubscribe_reply:gmail:thr-1"
    assert is_suppressed(conn, "priya@northwind.example", now=T0) == entry
    (event,) = audit_tail.events()
    assert (event["action"], event["thread_id"], event["reason"]) == (
        "suppressed",
        "gmail:thr-1",
        "OPT_OUT",
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("no-at-sign", "email"),
        ("a@b@c", "email"),
        ("@b.example", "email"),
        ("a@b", "domain"),
        ("localhost", "domain"),
        ("", "domain"),
    ],
)
def test_malformed_values_are_refused(conn: Connection[DictRow], value: str, kind: Any) -> None:
    with pytest.raises(SuppressionError):
        suppress(conn, value=value, kind=kind, reason="MANUAL", actor="o", now=T0)


def test_kind_of_tells_emails_from_domains() -> None:
    assert kind_of("a@b.example") == "email"
    assert kind_of("b.example") == "domain"
