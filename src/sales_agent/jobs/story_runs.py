"""Running the story-pitch graph: a dry run in memory, a real run on Postgres, the resume.

A dry run is compiled on an in-memory checkpointer: it writes no checkpoint, no row, no
draft. A real run's thread (its execution id) is derived from the story, the segment and the
limit, so asking again for the same pitch run finds the execution that exists instead of
starting another; a different segment or limit is a new execution, and the one-pitch-per-
(story, contact) rule still keeps anyone from being pitched twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from sales_agent.domain.story import BulkDecision
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.story_pitch import STORY_GRAPH_ID, build_story_pitch
from sales_agent.graph.story_state import StoryInput, StoryOutput, StoryState
from sales_agent.jobs.followup_runs import checkpointer
from sales_agent.policy.segments import parse_segment
from sales_agent.services import Services, provided

__all__ = [
    "StoryGraph",
    "StoryRun",
    "compile_story",
    "execution_id_for",
    "is_waiting",
    "resume_story",
    "run_story",
]

StoryGraph = CompiledStateGraph[StoryState, FollowupContext, StoryInput, StoryOutput]


@dataclass(frozen=True)
class StoryRun:
    """Where a story run stopped: its execution id, state, and the interrupt it waits on."""

    execution_id: str
    state: StoryState
    interrupts: tuple[Any, ...]


def compile_story(services: Services, *, dry_run: bool = False) -> StoryGraph:
    """The story graph on `services`: on Postgres, or in memory for a dry run."""
    saver = InMemorySaver() if dry_run else checkpointer(services)
    return build_story_pitch(provided(services)).compile(checkpointer=saver, name=STORY_GRAPH_ID)


def execution_id_for(story_input: StoryInput) -> str:
    """The thread of a pitch run: the story, the segment (normalised) and the limit."""
    segment = parse_segment(story_input.segment).describe()
    digest = hashlib.sha256(f"{segment}|{story_input.limit}".encode()).hexdigest()[:12]
    return f"story:{story_input.story_id}:{digest}"


def _config(execution_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": execution_id}}


def _result(graph: StoryGraph, execution_id: str) -> StoryRun:
    snapshot = graph.get_state(_config(execution_id))
    return StoryRun(
        execution_id=execution_id,
        state=StoryState.model_validate(snapshot.values),
        interrupts=tuple(i.value for i in snapshot.interrupts),
    )


def run_story(services: Services, story_input: StoryInput, context: FollowupContext) -> StoryRun:
    """Run to the bulk interrupt (or, for a dry run, to the previews).

    An execution that already ran is returned as it stands: a rerun adds nothing. One that
    died mid-way is finished from its last checkpoint.
    """
    graph = compile_story(services, dry_run=story_input.dry_run)
    execution_id = execution_id_for(story_input)
    config = _config(execution_id)
    existing = graph.get_state(config)
    if existing.values:
        if existing.tasks and not existing.interrupts:
            graph.invoke(None, config, context=context)
        return _result(graph, execution_id)
    graph.invoke(story_input, config, context=context)
    return _result(graph, execution_id)


def resume_story(
    services: Services, execution_id: str, decision: Any, context: FollowupContext
) -> StoryRun:
    """Resume an execution waiting at the bulk approval with the operator's decisions.

    Validated first: LangGraph keeps a resume value once delivered, so a malformed one would
    fail the node again on every later attempt.
    """
    BulkDecision.model_validate(decision)
    graph = compile_story(services)
    graph.invoke(Command(resume=decision), _config(execution_id), context=context)
    return _result(graph, execution_id)


def is_waiting(services: Services, execution_id: str) -> bool:
    """True when the execution waits at its bulk approval."""
    return bool(compile_story(services).get_state(_config(execution_id)).interrupts)
