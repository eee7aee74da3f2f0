"""The story-pitch graph: from a story and a segment to approved (kept or sent) pitches.

    story_target --nobody, or stopped (flag off, archived story)--> record_story_outcome
                 --else: one Send per ranked contact--> write_pitch (in parallel)
    write_pitch -> gate_pitches (each pitch meets the gate)
    gate_pitches --dry run--> record_story_outcome (previews and stats, no side effect)
                 --else--> place_pitches (Gmail draft + CRM note per contact)
    place_pitches --kill switch--> record_story_outcome
                  --else--> approve_pitches (one bulk interrupt)
    approve_pitches -> deliver_pitches (DRAFT_ONLY keeps; SEND_ALLOWED books send windows)
    deliver_pitches -> record_story_outcome -> END

Nodes before `place_pitches` only read, so a dry run leaves every system as it found it.
The builder is exported uncompiled; callers attach their checkpointer (`jobs/story_runs.py`).
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from sales_agent.graph.context import FollowupContext
from sales_agent.graph.story_state import PitchTask, StoryInput, StoryOutput, StoryState
from sales_agent.nodes.story_approve import approve_pitches
from sales_agent.nodes.story_deliver import deliver_pitches
from sales_agent.nodes.story_gate import gate_pitches
from sales_agent.nodes.story_place import place_pitches
from sales_agent.nodes.story_record import record_story_outcome
from sales_agent.nodes.story_target import story_target
from sales_agent.nodes.story_write import write_pitch
from sales_agent.services import ServicesProvider

__all__ = ["STORY_GRAPH_ID", "StoryBuilder", "build_story_pitch"]

STORY_GRAPH_ID = "story_pitch"

StoryBuilder = StateGraph[StoryState, FollowupContext, StoryInput, StoryOutput]


def route_targets(state: StoryState) -> list[Send] | Literal["record_story_outcome"]:
    """One writer per ranked contact, all in parallel; straight to the end when nobody."""
    if state.outcome is not None or not state.targets or state.story is None:
        return "record_story_outcome"
    return [
        Send(
            "write_pitch",
            PitchTask(
                story=state.story, target=target, slots=state.slots, asset_kind=state.asset_kind
            ),
        )
        for target in state.targets
    ]


def route_gated(state: StoryState) -> Literal["place_pitches", "record_story_outcome"]:
    """A dry run ends with its previews; a real one places what passed the gate."""
    return "record_story_outcome" if state.dry_run else "place_pitches"


def route_placed(state: StoryState) -> Literal["approve_pitches", "record_story_outcome"]:
    """On to the operator, unless the kill switch stopped the writes."""
    return "record_story_outcome" if state.outcome == "blocked" else "approve_pitches"


def route_decided(state: StoryState) -> Literal["deliver_pitches", "record_story_outcome"]:
    """Deliver the approved pitches, unless the kill switch stopped the decisions."""
    return "record_story_outcome" if state.outcome == "blocked" else "deliver_pitches"


def build_story_pitch(services: ServicesProvider) -> StoryBuilder:
    """The story-pitch graph's builder (not compiled); its nodes reach `services` when they run."""
    builder: StoryBuilder = StateGraph(
        StoryState,
        context_schema=FollowupContext,
        input_schema=StoryInput,
        output_schema=StoryOutput,
    )
    builder.add_node("story_target", partial(story_target, services=services))
    builder.add_node("write_pitch", partial(write_pitch, services=services), input_schema=PitchTask)
    for name, node in (
        ("gate_pitches", gate_pitches),
        ("place_pitches", place_pitches),
        ("approve_pitches", approve_pitches),
        ("deliver_pitches", deliver_pitches),
        ("record_story_outcome", record_story_outcome),
    ):
        builder.add_node(name, partial(node, services=services))
    builder.add_edge(START, "story_target")
    builder.add_conditional_edges(
        "story_target", route_targets, ["write_pitch", "record_story_outcome"]
    )
    builder.add_edge("write_pitch", "gate_pitches")
    builder.add_conditional_edges(
        "gate_pitches", route_gated, ["place_pitches", "record_story_outcome"]
    )
    builder.add_conditional_edges(
        "place_pitches", route_placed, ["approve_pitches", "record_story_outcome"]
    )
    builder.add_conditional_edges(
        "approve_pitches", route_decided, ["deliver_pitches", "record_story_outcome"]
    )
    builder.add_edge("deliver_pitches", "record_story_outcome")
    builder.add_edge("record_story_outcome", END)
    return builder
