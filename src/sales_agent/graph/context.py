"""Per-run settings, passed as `context=` to a run (LangGraph's `context_schema`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from langgraph.runtime import Runtime

__all__ = ["FollowupContext", "current_thread_id", "run_clock", "run_context"]


@dataclass(frozen=True)
class FollowupContext:
    """Knobs of one run; every field has a default so Studio can start a run with none."""

    now: datetime | None = None
    """Clock override (aware datetime) so evals and tests propose reproducible slots."""

    actor: str = "agent"
    """Who the audit trail names for this run's automatic decisions."""

    max_revisions: int = 2
    """Rewrites after a failed quality gate before the draft is REJECTED."""

    max_tool_rounds: int = 4
    """Turns of read-only tool calls the model writer may take before it must submit."""

    recall_top_k: int = 5
    """Earlier messages with the lead that memory recall hands the writer."""


def run_context(runtime: Runtime[FollowupContext]) -> FollowupContext:
    """The run's context; the defaults when the caller passed none (Studio may not)."""
    return runtime.context if runtime.context is not None else FollowupContext()


def run_clock(runtime: Runtime[FollowupContext]) -> datetime:
    """The run's 'now': the context's override, else the wall clock (UTC)."""
    return run_context(runtime).now or datetime.now(UTC)


def current_thread_id(runtime: Runtime[FollowupContext]) -> str:
    """The LangGraph thread id of the run (keys side effects and the audit trail)."""
    info = runtime.execution_info
    if info is None or not info.thread_id:
        raise RuntimeError(
            "the follow-up graph runs on a thread: compile it with a checkpointer and pass "
            "config={'configurable': {'thread_id': ...}}"
        )
    return info.thread_id
