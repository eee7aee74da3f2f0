"""Execute one row of `runs`: start or resume the follow-up graph on its thread.

Idempotent across attempts: a run whose worker died carries on from the thread's last
checkpoint (LangGraph replays no finished node), and a resume already delivered is not
delivered twice. The graph's side effects are keyed by thread and draft revision, so a
repeated node finds its Gmail draft instead of creating a second one.
"""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.runnables import RunnableConfig
from pydantic import TypeAdapter

from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupInput
from sales_agent.jobs.failed_runs import reopen_after_retry
from sales_agent.jobs.followup_runs import (
    FollowupGraph,
    RunCancelledError,
    StopCheck,
    drive,
    resume,
    start,
)
from sales_agent.jobs.run_cancel import restore_point, settle_cancel, stop_check
from sales_agent.jobs.run_rows import ACTIVE, RunStatus, finish_run, get_run, mark_running
from sales_agent.jobs.thread_lock import hold_thread
from sales_agent.services import Services
from sales_agent.trace import trace_scope

__all__ = ["CONTEXT", "RunFailedError", "advance", "execute_run"]

logger = logging.getLogger(__name__)

CONTEXT = TypeAdapter(FollowupContext)
"""Parses a run's JSON context (ISO strings for `now`) into the graph's context."""


class RunFailedError(RuntimeError):
    """A run that cannot succeed as asked (not worth a retry)."""


def _config(thread_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id}}


def _start(
    graph: FollowupGraph,
    thread_id: str,
    graph_input: FollowupInput,
    context: FollowupContext,
    stop: StopCheck | None,
) -> None:
    if thread_id == thread_id_for(graph_input.trigger):
        # The trigger's own thread: `start` also handles redeliveries and news.
        start(graph, graph_input.trigger, context, stop=stop)
        return
    config = _config(thread_id)
    existing = graph.get_state(config)
    if existing.tasks and not existing.interrupts:
        drive(graph, None, config, context, stop=stop)  # continue a run that died mid-way
    else:
        drive(graph, graph_input, config, context, stop=stop)


def _resume(
    graph: FollowupGraph,
    thread_id: str,
    value: Any,
    context: FollowupContext,
    stop: StopCheck | None,
    *,
    retry: bool,
) -> None:
    config = _config(thread_id)
    existing = graph.get_state(config)
    if existing.interrupts:
        resume(graph, thread_id, value, context, stop=stop)
    elif retry and existing.tasks:
        # The resume landed, then the worker died.
        drive(graph, None, config, context, stop=stop)
    elif not retry:
        raise RunFailedError(f"thread {thread_id} is not waiting for a decision")


def advance(
    graph: FollowupGraph,
    *,
    thread_id: str,
    kind: str,
    graph_input: dict[str, Any] | None,
    command: dict[str, Any] | None,
    context: FollowupContext,
    retry: bool = False,
    stop: StopCheck | None = None,
) -> RunStatus:
    """Take the thread as far as it goes; `interrupted` (waiting for approval) or `success`.

    `retry` says an earlier attempt of this run may have got part of the way. `stop` is
    asked at every step boundary (`RunCancelledError` when a client cancelled the run).
    """
    if kind == "start" and graph_input is None:
        drive(graph, None, _config(thread_id), context, stop=stop)  # carry on (a fork's run)
    elif kind == "start":
        _start(graph, thread_id, FollowupInput.model_validate(graph_input), context, stop)
    else:
        if command is None or "resume" not in command:
            raise RunFailedError("a resume run needs command.resume")
        _resume(graph, thread_id, command["resume"], context, stop, retry=retry)
    after = graph.get_state(_config(thread_id))
    if after.interrupts:
        return "interrupted"
    if after.tasks or after.values.get("outcome") is None:
        # A run ends at the interrupt, a recorded outcome or a recorded error: never quietly.
        raise RunFailedError(f"thread {thread_id} stopped with no outcome and no interrupt")
    return "success"


def execute_run(services: Services, graph: FollowupGraph, run_id: str) -> RunStatus | None:
    """Run a pending (or interrupted-by-a-crash) run to where it stops; its final status.

    None when the run had already finished, or was cancelled (before it started, or at a
    step boundary: settled here as the cancel asked). Exceptions propagate after nothing is
    recorded: the caller decides between a retry and a final `error`.
    """
    with services.pool.connection() as conn:
        row = mark_running(conn, run_id=run_id)
        unclaimed = get_run(conn, run_id=run_id) if row is None else None
    if row is None:
        if unclaimed is not None and unclaimed["status"] in ACTIVE:
            # Cancelled before this attempt: it never starts (nothing of it to roll back).
            settle_cancel(services, run_id, unclaimed["cancel_action"])
        logger.info("run %s is no longer active; nothing to do", run_id)
        return None
    thread_id = row["thread_id"]
    with trace_scope(row["trace_id"]), hold_thread(services, thread_id):
        logger.info(
            "run %s (%s) on thread %s, attempt %d", run_id, row["kind"], thread_id, row["attempts"]
        )
        point = restore_point(services, thread_id)
        try:
            status = advance(
                graph,
                thread_id=thread_id,
                kind=row["kind"],
                graph_input=row["input"],
                command=row["command"],
                context=CONTEXT.validate_python(row["context"] or {}),
                retry=row["attempts"] > 1,
                stop=stop_check(services, run_id),
            )
        except RunCancelledError as cancelled:
            settle_cancel(services, run_id, cancelled.action, point)
            return None
        logger.info("run %s stopped: %s", run_id, status)
    if status == "interrupted" and (row["metadata"] or {}).get("retry_of"):
        # A retry of a run whose failure was settled in HubSpot: take that back.
        reopen_after_retry(services, graph, thread_id=thread_id)
    with services.pool.connection() as conn:
        finish_run(conn, run_id=run_id, status=status)
    return status
