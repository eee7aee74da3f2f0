"""One case through the real follow-up graph, recorded as a trace (the format evals score).

The only module of the evals that calls the graph's run helpers (compile, start, resume,
forget): when their signatures move, this file moves with them. Shared by the eval runner and
`demo --scenario`.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from sales_agent.domain import Trigger
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.evals.capture import capture_context, capture_outputs
from sales_agent.evals.dataset import Case
from sales_agent.evals.inbound import deliver_inbound
from sales_agent.evals.trace import RunInfo, Trace
from sales_agent.evals.tracing import TraceRecorder
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import (
    FollowupGraph,
    RunResult,
    compile_followup,
    forget_followup_thread,
    resume,
    start,
)
from sales_agent.services import Services

__all__ = ["FollowupGraph", "Scenario", "compile_graph", "run_case", "run_scenario"]

logger = logging.getLogger(__name__)

Scenario = Case
"""A dataset line (the name `demo` knows it by)."""


def compile_graph(services: Services) -> FollowupGraph:
    """The follow-up graph on the services' checkpointer."""
    return compile_followup(services)


def _trigger(services: Services, case: Case, now: datetime) -> Trigger:
    if case.input is not None:
        return case.input.trigger
    assert case.inbound is not None
    thread_id = deliver_inbound(
        services.connectors.gmail,
        case.inbound,
        case=case.name,
        operator=services.settings.operator_email,
        now=now,
    )
    return Trigger(source="gmail", gmail_thread_id=thread_id)


def run_case(
    graph: FollowupGraph,
    services: Services,
    case: Case,
    *,
    now: datetime,
    run: RunInfo | None = None,
) -> tuple[Trace, RunResult | None]:
    """Deliver the case's message (if any), run its trigger afresh, answer the approval.

    A case that raises is recorded as a trace with `error`, not raised: one broken case must
    not end a run of hundreds.
    """
    recorder = TraceRecorder()
    run_info = run or RunInfo()
    base = Trace(
        case=case.name,
        dataset=run_info.dataset,
        split=case.split,
        lang=case.lang,
        now=now,
        input=case.model_dump(mode="json", include={"input", "inbound"}, exclude_none=True),
        expect=case.expect.model_dump(mode="json", exclude_none=True),
        run=run_info,
    )
    t0 = time.perf_counter()
    try:
        trigger = _trigger(services, case, now)
        thread_id = thread_id_for(trigger)
        forget_followup_thread(services, thread_id)
        context = FollowupContext(now=now)
        waiting = start(graph, trigger, context, callbacks=[recorder])
        interrupt = waiting.interrupts[0] if waiting.interrupts else None
        done = (
            resume(graph, waiting.thread_id, case.resume, context, callbacks=[recorder])
            if interrupt
            else waiting
        )
        outputs = capture_outputs(services, done.state, interrupt)
        context_record = capture_context(services, done.state)
    except Exception as exc:  # recorded in the trace, scored as a failed run
        logger.warning("eval case %s failed: %s", case.name, exc, exc_info=True)
        trace = base.model_copy(
            update={"error": f"{type(exc).__name__}: {exc}", **recorder.as_dict()}
        )
        return trace, None
    trace = base.model_copy(
        update={
            "thread_id": thread_id,
            "total_ms": round((time.perf_counter() - t0) * 1000, 3),
            "outputs": outputs,
            "context": context_record,
            **recorder.as_dict(),
        }
    )
    return trace, done


def run_scenario(
    graph: FollowupGraph, scenario: Scenario, services: Services
) -> tuple[dict[str, Any], RunResult]:
    """Run one line on `services`; its trace as JSON data and the result.

    For `demo`: the clock is the line's `now`, else the wall clock (a demo is a real run).
    """
    now = scenario.now or datetime.now(UTC)
    trace, done = run_case(graph, services, scenario, now=now)
    if done is None:
        raise RuntimeError(f"scenario {scenario.name} failed: {trace.error}")
    return trace.model_dump(mode="json"), done
