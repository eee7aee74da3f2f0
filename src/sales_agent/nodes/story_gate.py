"""QualityGateAgent for pitches: each pitch meets the gate every draft meets.

A failing pitch stays in the state with its verdict (the dry run shows it) and its contact
is skipped as `gate_failed` with the reasons; it never reaches Gmail.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.domain import GateStatus
from sales_agent.domain.story import SkippedContact, SkipReason
from sales_agent.graph.context import FollowupContext, run_clock
from sales_agent.graph.story_state import StoryState
from sales_agent.nodes._story_pitch import pitch_gate_context
from sales_agent.policy.quality import evaluate_draft
from sales_agent.services import ServicesProvider

__all__ = ["gate_pitches"]


def gate_pitches(
    state: StoryState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """The gate's verdict on every pitch not judged yet."""
    svc, now = services(), run_clock(runtime)
    gated, failed = [], []
    for pitch in state.pitches:
        if pitch.gate is not None:
            continue
        gate = evaluate_draft(pitch.draft, pitch_gate_context(svc, pitch.target.contact, now))
        gated.append(pitch.model_copy(update={"gate": gate}))
        if gate.status is GateStatus.FAIL:
            failed.append(
                SkippedContact(email=pitch.email, reason=SkipReason.GATE_FAILED, detail=gate.reason)
            )
    return {"pitches": gated, "skipped": failed}
