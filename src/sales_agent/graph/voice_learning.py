"""The voice_learning graph: the operator's Sent mail (and chosen Drive docs) to a new profile.

    fetch_sent -> clean -> learn -> validate --ok--> store -> export -> END
                                    validate --PII found--> END (nothing stored)

The builder is exported uncompiled, so each caller attaches its own checkpointer:
`langgraph.json` exports it bare for the platform, tests compile it with Postgres.
"""

from __future__ import annotations

from functools import partial

from langgraph.graph import END, START, StateGraph

from sales_agent.graph.voice_state import (
    VoiceLearningContext,
    VoiceLearningInput,
    VoiceLearningOutput,
    VoiceLearningState,
)
from sales_agent.nodes.voice_learning import (
    after_validate,
    clean,
    export,
    fetch_sent,
    learn,
    store,
    validate,
)
from sales_agent.services import ServicesProvider

__all__ = ["GRAPH_ID", "build_voice_learning"]

GRAPH_ID = "voice_learning"


def build_voice_learning(
    services: ServicesProvider,
) -> StateGraph[VoiceLearningState, VoiceLearningContext, VoiceLearningInput, VoiceLearningOutput]:
    """The voice_learning graph's builder (not compiled); its nodes reach `services` lazily."""
    builder = StateGraph(
        VoiceLearningState,
        context_schema=VoiceLearningContext,
        input_schema=VoiceLearningInput,
        output_schema=VoiceLearningOutput,
    )
    builder.add_node("fetch_sent", partial(fetch_sent, services=services))
    builder.add_node("clean", partial(clean, services=services))
    builder.add_node("learn", partial(learn, services=services))
    builder.add_node("validate", partial(validate, services=services))
    builder.add_node("store", partial(store, services=services))
    builder.add_node("export", export)
    builder.add_edge(START, "fetch_sent")
    builder.add_edge("fetch_sent", "clean")
    builder.add_edge("clean", "learn")
    builder.add_edge("learn", "validate")
    builder.add_conditional_edges("validate", after_validate)
    builder.add_edge("store", "export")
    builder.add_edge("export", END)
    return builder
