"""One scenario through the real graph, recorded as a trace (the format evals score).

Shared by the eval runner (a dataset of scenarios) and `demo --scenario` (one of them).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from sales_agent.domain.approval import ACCEPT
from sales_agent.evals.tracing import TraceRecorder
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupInput
from sales_agent.jobs.followup_runs import FollowupGraph, RunResult, resume, start

__all__ = ["Scenario", "run_scenario"]


class Scenario(BaseModel):
    """One line of a dataset: a trigger, the operator's answer at approval, expectations."""

    name: str
    input: FollowupInput
    resume: Any = Field(default_factory=lambda: ACCEPT)
    now: datetime | None = None
    expect: dict[str, Any] = Field(default_factory=dict)


def run_scenario(graph: FollowupGraph, scenario: Scenario) -> tuple[dict[str, Any], RunResult]:
    """Run the trigger, answer the approval (if one is asked), return the trace and result."""
    trigger = scenario.input.trigger
    now = scenario.now or datetime.now(UTC)
    context = FollowupContext(now=now)
    recorder = TraceRecorder()
    t0 = time.perf_counter()
    waiting = start(graph, trigger, context, callbacks=[recorder])
    interrupt = waiting.interrupts[0] if waiting.interrupts else None
    done = (
        resume(graph, waiting.thread_id, scenario.resume, context, callbacks=[recorder])
        if interrupt
        else waiting
    )
    total_ms = round((time.perf_counter() - t0) * 1000, 3)
    state = done.state
    trace = {
        "scenario": scenario.name,
        "thread_id": waiting.thread_id,
        "now": now.isoformat(),
        "input": scenario.input.model_dump(mode="json"),
        "expect": scenario.expect,
        **recorder.as_dict(),
        "total_ms": total_ms,
        "outputs": {
            "plan": state.plan.model_dump(mode="json") if state.plan else None,
            "writer": state.writer,
            "draft": state.draft.model_dump(mode="json") if state.draft else None,
            "gate": state.gate.model_dump(mode="json") if state.gate else None,
            "slots": [slot.model_dump(mode="json") for slot in state.slots],
            "assets": [asset.model_dump(mode="json") for asset in state.assets],
            "gmail_draft_id": state.gmail_draft_id,
            "crm_note_id": state.crm_note_id,
            "crm_task_id": state.crm_task_id,
            "interrupt": interrupt,
            "outcome": state.outcome.value if state.outcome else None,
            "outcome_reason": state.outcome_reason,
        },
    }
    return trace, done
