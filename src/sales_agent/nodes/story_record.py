"""Records how a story run ended: the stats of pitches and skips, and (for real runs) audit.

A dry run writes nothing here either: its stats are the state's, its audit trail empty.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.domain import GateStatus
from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.story_state import StoryOutcome, StoryState
from sales_agent.policy.audit import record_event
from sales_agent.services import ServicesProvider

__all__ = ["record_story_outcome", "story_stats"]


def story_stats(state: StoryState) -> dict[str, int]:
    """Ranked, written, passed the gate, by status, and skipped by reason."""
    passed = [
        p for p in state.pitches if p.gate is not None and p.gate.status is not GateStatus.FAIL
    ]
    statuses = Counter(p.status for p in state.pitches if p.status is not None)
    skipped = Counter(s.reason.value for s in state.skipped)
    return {
        "ranked": len(state.targets),
        "written": len(state.pitches),
        "passed_gate": len(passed),
        "created": len(passed) if state.dry_run else sum(statuses.values()),
        **{f"status_{status}": count for status, count in sorted(statuses.items())},
        "skipped": sum(skipped.values()),
        **{f"skipped_{reason}": count for reason, count in sorted(skipped.items())},
    }


def record_story_outcome(
    state: StoryState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """The stats and the outcome; an audit event unless this was a dry run."""
    stats = story_stats(state)
    outcome: StoryOutcome = state.outcome or (
        "dry_run" if state.dry_run else "done" if state.targets else "no_targets"
    )
    reason = state.outcome_reason or ", ".join(f"{k} {v}" for k, v in stats.items() if v)
    if not state.dry_run and state.outcome not in ("disabled", "archived"):
        svc = services()
        with svc.pool.connection() as conn:
            record_event(
                conn,
                actor=run_context(runtime).actor,
                action="story_run_finished",
                thread_id=current_thread_id(runtime),
                reason=f"{outcome}: {reason}"[:1000],
                metadata={"story_id": state.story_id, "segment": state.segment, "stats": stats},
            )
    return {"stats": stats, "outcome": outcome, "outcome_reason": reason}
