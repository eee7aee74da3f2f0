"""What story targeting reads from our tables: every rule's fact, set-based for any count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.db.email_events import record_email_event
from sales_agent.db.stories import claim_pitch, insert_campaign
from sales_agent.domain.story import EngagementFacts, StoryContact
from sales_agent.nodes._story_facts import stored_facts
from sales_agent.policy.suppression import SuppressionReason, suppress, suppress_erased

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_DRAFT = """
INSERT INTO drafts (thread_id, status, contact_email, subject, body, updated_at)
VALUES (%s, %s, %s, 'Hi', 'Hello', %s)
"""
_SEQUENCE = """
INSERT INTO sequences (contact_email, gmail_thread_id, origin_thread_id, status, touches_done,
                       max_touches, cadence_days, last_touch_at)
VALUES (%s, %s, %s, %s, 1, 3, '{3,5,7}', %s)
"""


class CountingCursor(psycopg.Cursor[DictRow]):
    """A cursor that counts the statements a connection runs."""

    statements = 0

    def execute(self, *args: Any, **kwargs: Any) -> CountingCursor:
        """Count, then run."""
        CountingCursor.statements += 1
        super().execute(*args, **kwargs)
        return self


def person(name: str) -> StoryContact:
    return StoryContact(email=f"{name}@acme.example", job_title="COO", industry="Logistics")


def facts_counted(
    conn: Connection[DictRow], contacts: list[StoryContact], story_id: str
) -> tuple[dict[str, EngagementFacts], int]:
    """The facts, and how many statements it took to gather them."""
    conn.cursor_factory = CountingCursor
    CountingCursor.statements = 0
    try:
        facts = stored_facts(conn, contacts, story_id=story_id, now=NOW)
    finally:
        conn.cursor_factory = psycopg.Cursor
    return facts, CountingCursor.statements


def test_each_fact_comes_from_its_table_in_the_same_few_statements_for_any_count(
    conn: Connection[DictRow],
) -> None:
    story = insert_campaign(
        conn, values={"name": "S", "key_message": "K", "cta": "C?"}, created_by="tests"
    )
    other = insert_campaign(
        conn, values={"name": "T", "key_message": "K", "cta": "C?"}, created_by="tests"
    )
    conn.execute(_DRAFT, ("form:1", "pending_approval", "Waiting@Acme.example", NOW))
    conn.execute(_DRAFT, ("form:2", "approved", "touched@acme.example", NOW - timedelta(days=2)))
    conn.execute(_SEQUENCE, ("looped@acme.example", "g1", "gmail:g1", "active", NOW))
    conn.execute(_SEQUENCE, ("resting@acme.example", "g2", "gmail:g2", "paused", NOW))
    conn.execute(_SEQUENCE, ("finished@acme.example", "g3", "gmail:g3", "stopped", NOW))
    for email, story_id in (("pitched@acme.example", story.id), ("told@acme.example", other.id)):
        claim_pitch(
            conn,
            story_id=story_id,
            email=email,
            execution_id=f"story:{story_id}",
            subject="S",
            body="B",
            rank_score=0.5,
            rank_reason="r",
            gate={},
            now=NOW - timedelta(days=3),
        )
    for n, kind in enumerate(("replied", "replied", "meeting_booked")):
        record_email_event(
            conn,
            event_key=f"e{n}",
            kind=kind,  # type: ignore[arg-type]
            occurred_at=NOW,
            source="tests",
            contact_email="engaged@acme.example",
        )
    suppress(conn, value="gone@acme.example", kind="email", reason="OPT_OUT", actor="t", now=NOW)
    suppress(conn, value="blocked.example", kind="domain", reason="MANUAL", actor="t", now=NOW)
    suppress_erased(conn, email="erased@acme.example", actor="t")
    names = ["waiting", "touched", "looped", "resting", "finished", "pitched", "told"]
    names += ["engaged", "gone", "erased", "plain"]
    contacts = [*map(person, names), StoryContact(email="x@mail.blocked.example")]

    facts, statements = facts_counted(conn, contacts, story.id)

    assert facts["waiting@acme.example"].open_followup
    assert facts["touched@acme.example"].last_touch == NOW - timedelta(days=2)
    looped = facts["looped@acme.example"].sequence
    assert looped is not None and "active, 1 of 3 follow-ups sent" in looped
    assert "paused" in (facts["resting@acme.example"].sequence or "")
    assert facts["finished@acme.example"].sequence is None  # an ended sequence holds nobody
    assert facts["pitched@acme.example"].pitched_this_story
    told = facts["told@acme.example"]
    assert not told.pitched_this_story and told.stories_pitched == 1
    assert told.last_story_at == NOW - timedelta(days=3)
    engaged = facts["engaged@acme.example"]
    assert (engaged.replies, engaged.meetings) == (2, 1)
    assert facts["gone@acme.example"].suppressed == SuppressionReason.OPT_OUT
    assert facts["x@mail.blocked.example"].suppressed == SuppressionReason.MANUAL
    assert facts["erased@acme.example"].suppressed is not None
    assert facts["plain@acme.example"] == EngagementFacts()

    crowd = contacts + [person(f"p{n}") for n in range(500)]
    more, more_statements = facts_counted(conn, crowd, story.id)
    assert len(more) == len(crowd) and more["p499@acme.example"] == EngagementFacts()
    assert more_statements == statements <= 4  # rules, suppression, our records: not per contact
