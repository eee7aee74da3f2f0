"""A worker that dies right after an external write, before recording it, causes no
duplicate: the resumed run finds the Gmail draft or the HubSpot note it made."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import httpx
import pytest

from sales_agent.domain import Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.followup import build_followup
from sales_agent.jobs.followup_runs import (
    FollowupGraph,
    PooledPostgresSaver,
    compile_followup,
    start,
)
from sales_agent.sandbox import SEED_LEAD_THREAD_ID
from sales_agent.services import Services, provided

DEMO = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)


class WorkerDiedError(RuntimeError):
    """Stands for the process being killed between the API call and the ledger update."""


def dying_after(services: Services, service: str, method: str) -> Services:
    """`services` whose `service.method` makes its call, then the worker dies."""
    client = copy.copy(getattr(services.connectors, service))
    real = getattr(client, method)

    def call_then_die(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise WorkerDiedError(f"killed after {service}.{method} returned")

    setattr(client, method, call_then_die)
    connectors = dataclasses.replace(services.connectors, **{service: client})
    return dataclasses.replace(services, connectors=connectors)


def on_priya(services: Services, kind: str) -> int:
    """How many `kind` (notes, tasks) the sandbox has attached to the seed contact."""
    assert services.sandbox_url is not None
    url = f"{services.sandbox_url}/crm/v4/objects/contacts/1001/associations/{kind}"
    return len(httpx.get(url, timeout=10).json()["results"])


def resume_to_approval(graph: FollowupGraph, context: FollowupContext) -> Any:
    # The run resumes from its last checkpoint on a healthy worker.
    config: Any = {"configurable": {"thread_id": f"gmail:{SEED_LEAD_THREAD_ID}"}}
    graph.invoke(None, config, context=context)
    return graph.get_state(config)


def drafts_in_thread(services: Services) -> int:
    thread = services.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    return sum(m.is_draft for m in thread.messages)


def test_a_resumed_run_reuses_the_draft_the_dead_attempt_made(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    with pytest.raises(WorkerDiedError):
        start(compile_followup(dying_after(fresh, "gmail", "create_draft")), DEMO, context)
    assert drafts_in_thread(fresh) == 1, "the dead attempt did create the draft"
    with fresh.pool.connection() as conn:
        row: Any = conn.execute(
            "SELECT status FROM side_effects WHERE kind = 'gmail_draft'"
        ).fetchone()
    assert row["status"] == "started", "...but never recorded it"

    snapshot = resume_to_approval(graph, context)

    assert snapshot.interrupts, "it reached the approval"
    assert drafts_in_thread(fresh) == 1, "no second draft"
    draft_id = snapshot.values["gmail_draft_id"]
    assert fresh.connectors.gmail.get_draft(draft_id).message.thread_id == SEED_LEAD_THREAD_ID
    with fresh.pool.connection() as conn:
        notes: Any = conn.execute(
            "SELECT count(*) AS n FROM side_effects WHERE kind = 'crm_note'"
        ).fetchone()
    assert notes["n"] == 1


# `manual:<address>:gmail_draft:1` runs from 60 to 77 characters for addresses of 39 to 56:
# as a raw header value such a key was folded in transit and never found again.
LONG_ADDRESS = "alexandra.konstantinopoulou@longname-logistics.example"


def drafts_to(services: Services, address: str) -> int:
    """How many drafts in the operator's mailbox are addressed to `address`."""
    assert services.sandbox_url is not None
    url = f"{services.sandbox_url}/gmail/v1/users/me/drafts"
    listed = httpx.get(url, timeout=10).json().get("drafts", [])
    gmail = services.connectors.gmail
    return sum(any(a.email == address for a in gmail.get_draft(d["id"]).message.to) for d in listed)


def test_a_long_key_is_found_again_after_a_crash_and_no_second_draft_is_made(
    fresh: Services, context: FollowupContext
) -> None:
    lead = Trigger(source="manual", contact_email=LONG_ADDRESS)
    assert 60 <= len(f"manual:{LONG_ADDRESS}:gmail_draft:1") <= 77
    with pytest.raises(WorkerDiedError):
        start(compile_followup(dying_after(fresh, "gmail", "create_draft")), lead, context)
    assert drafts_to(fresh, LONG_ADDRESS) == 1, "the dead attempt did create the draft"

    done = start(compile_followup(fresh), lead, context)

    assert done.interrupts, "it reached the approval"
    assert drafts_to(fresh, LONG_ADDRESS) == 1, "no second draft"


@pytest.mark.parametrize(
    ("method", "kind", "step"),
    [("create_note", "notes", "crm_note"), ("create_task", "tasks", "crm_task")],
)
def test_a_resumed_run_reuses_the_hubspot_record_the_dead_attempt_made(
    graph: FollowupGraph,
    fresh: Services,
    context: FollowupContext,
    method: str,
    kind: str,
    step: str,
) -> None:
    before = on_priya(fresh, kind)
    with pytest.raises(WorkerDiedError):
        start(compile_followup(dying_after(fresh, "hubspot", method)), DEMO, context)
    assert on_priya(fresh, kind) == before + 1

    snapshot = resume_to_approval(graph, context)

    assert snapshot.interrupts
    assert on_priya(fresh, kind) == before + 1, f"no second {kind[:-1]}"
    hubspot = fresh.connectors.hubspot
    record = (
        hubspot.get_note(snapshot.values["crm_note_id"]).body
        if kind == "notes"
        else hubspot.get_task(snapshot.values["crm_task_id"]).body
    )
    assert f"Reference: gmail:thr-northwind-001:{step}:1" in (record or "")
    assert drafts_in_thread(fresh) == 1


def test_a_resumed_send_never_sends_twice(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    from sales_agent.config import Mode
    from sales_agent.jobs.followup_runs import resume
    from sales_agent.jobs.scheduled_sends import send_scheduled
    from sales_agent.policy.mode import set_mode

    def sent_count() -> int:
        thread = fresh.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
        return sum("SENT" in m.label_ids for m in thread.messages)

    before = sent_count()
    key = f"gmail:{SEED_LEAD_THREAD_ID}:gmail_send:1"
    with fresh.pool.connection() as conn:
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="test", reason="crash test")
    try:
        start(graph, DEMO, context)
        done = resume(
            graph, f"gmail:{SEED_LEAD_THREAD_ID}", {"decisions": [{"type": "approve"}]}, context
        )
        assert done.state.scheduled_send_at is not None
        with pytest.raises(WorkerDiedError):
            send_scheduled(
                dying_after(fresh, "gmail", "send_draft"), key, now=done.state.scheduled_send_at
            )
        status = send_scheduled(fresh, key, now=done.state.scheduled_send_at)
    finally:
        with fresh.pool.connection() as conn:
            set_mode(conn, mode=Mode.DRAFT_ONLY, actor="test", reason="test over")
    assert status == "sent"
    thread = fresh.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    assert sent_count() == before + 1, "the dead attempt's send, and no second one"
    with fresh.pool.connection() as conn:
        row = conn.execute("SELECT sent_message_id FROM scheduled_sends WHERE key = %s", (key,))
        sent = row.fetchone()
    assert sent is not None and thread.messages[-1].id == sent["sent_message_id"]
    assert drafts_in_thread(fresh) == 0


class DiesBeforeCheckpoint(PooledPostgresSaver):
    """Saves a node's writes, then dies before the checkpoint that would follow them."""

    def __init__(self, services: Services, channel: str) -> None:
        super().__init__(services.pool)
        self.channel, self.armed = channel, False

    def put_writes(self, config: Any, writes: Any, task_id: str, task_path: str = "") -> None:
        super().put_writes(config, writes, task_id, task_path)
        self.armed = self.armed or any(name == self.channel for name, _ in writes)

    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        if self.armed:
            raise WorkerDiedError(f"killed after the writes to {self.channel} were saved")
        return super().put(config, checkpoint, metadata, new_versions)


def test_a_run_killed_between_a_step_and_its_checkpoint_finishes_instead_of_ending(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    notes = on_priya(fresh, "notes")
    dying = build_followup(provided(fresh)).compile(
        checkpointer=DiesBeforeCheckpoint(fresh, "crm_note_id"), name="followup"
    )
    with pytest.raises(WorkerDiedError):
        start(dying, DEMO, context)
    saved = graph.get_state({"configurable": {"thread_id": f"gmail:{SEED_LEAD_THREAD_ID}"}})
    assert saved.next == () and saved.tasks, "the step's writes are saved, no step is next"

    done = start(graph, DEMO, context)

    assert done.interrupts, "the lead reached the approval instead of being dropped"
    assert drafts_in_thread(fresh) == 1 and on_priya(fresh, "notes") == notes + 1
