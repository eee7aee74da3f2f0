"""An operator's edit at approval is stored as a redacted diff for the next voice refresh."""

from __future__ import annotations

from sales_agent.domain import Outcome, Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, resume, start
from sales_agent.sandbox import SEED_LEAD_THREAD_ID
from sales_agent.services import Services

GMAIL = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)


def test_an_edit_at_approval_records_the_phrases_removed_and_added(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    waiting = start(graph, GMAIL, context)
    assert waiting.state.draft is not None
    body = "Hi Priya,\n\nPriya, call me on +44 20 7946 0321. Shall I send an invite?\n\nDana"
    edit = [{"type": "edit", "args": {"action": "approve_gmail_draft", "args": {"body": body}}}]
    done = resume(graph, waiting.thread_id, edit, context)

    assert done.state.outcome is Outcome.EDITED
    with fresh.pool.connection() as conn:
        rows = conn.execute(
            "SELECT * FROM voice_feedback WHERE thread_id = %s", [done.thread_id]
        ).fetchall()
    [row] = rows
    assert row["operator_email"] == fresh.settings.operator_email
    assert row["draft_id"] == done.state.draft_record_id
    assert "shall i send" in row["added_phrases"]
    assert row["removed_phrases"] and row["applied_in_version"] is None
    stored = " ".join(row["added_phrases"] + row["removed_phrases"])
    assert "priya" not in stored and "7946" not in stored, "redacted before storing"
