"""A worker that dies right after the Gmail call, before recording it, makes no second draft."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from sales_agent.graph.context import FollowupContext
from sales_agent.graph.runs import FollowupGraph, start
from sales_agent.graph.state import Trigger
from sales_agent.sandbox import SEED_LEAD_THREAD_ID
from sales_agent.services import Services, use_services
from sales_agent.tools import ReplyDraft

DEMO = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)


class WorkerDiedError(RuntimeError):
    """Stands for the process being killed between the API call and the ledger update."""


def dying_after_create(services: Services) -> Services:
    gmail = copy.copy(services.connectors.gmail)
    real_create = gmail.create_draft

    def create_then_die(reply: ReplyDraft) -> str:
        real_create(reply)
        raise WorkerDiedError("killed after drafts.create returned")

    gmail.create_draft = create_then_die  # type: ignore[method-assign]
    return dataclasses.replace(
        services, connectors=dataclasses.replace(services.connectors, gmail=gmail)
    )


def drafts_in_thread(services: Services) -> int:
    thread = services.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    return sum(m.is_draft for m in thread.messages)


def test_a_resumed_run_reuses_the_draft_the_dead_attempt_made(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    with use_services(dying_after_create(fresh)), pytest.raises(WorkerDiedError):
        start(graph, DEMO, context)
    assert drafts_in_thread(fresh) == 1, "the dead attempt did create the draft"
    with fresh.pool.connection() as conn:
        row: Any = conn.execute(
            "SELECT status FROM side_effects WHERE kind = 'gmail_draft'"
        ).fetchone()
    assert row["status"] == "started", "...but never recorded it"

    # The run resumes from its last checkpoint (before place_gmail_draft) on a healthy worker.
    config = {"configurable": {"thread_id": f"gmail:{SEED_LEAD_THREAD_ID}"}}
    graph.invoke(None, config, context=context)  # type: ignore[arg-type]
    snapshot = graph.get_state(config)  # type: ignore[arg-type]

    assert snapshot.interrupts, "it reached the approval"
    assert drafts_in_thread(fresh) == 1, "no second draft"
    draft_id = snapshot.values["gmail_draft_id"]
    assert fresh.connectors.gmail.get_draft(draft_id).message.thread_id == SEED_LEAD_THREAD_ID
    with fresh.pool.connection() as conn:
        notes: Any = conn.execute(
            "SELECT count(*) AS n FROM side_effects WHERE kind = 'crm_note'"
        ).fetchone()
    assert notes["n"] == 1
