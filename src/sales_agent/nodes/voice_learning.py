"""VoiceLearningAgent: the voice_learning graph's nodes, each one step of the pipeline.

The steps live in `memory.voice.pipeline` (the CLI runs the same ones in a row); a node only
takes its inputs from the state and returns what the step made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from langgraph.runtime import Runtime

from sales_agent.graph.voice_state import VoiceLearningContext, VoiceLearningState
from sales_agent.memory.voice.pipeline import (
    build_corpus,
    export_profile,
    learn_profile,
    select_sent,
    store_profile,
    validate_learned,
)
from sales_agent.services import ServicesProvider

__all__ = ["after_validate", "clean", "export", "fetch_sent", "learn", "store", "validate"]


def fetch_sent(state: VoiceLearningState, *, services: ServicesProvider) -> dict[str, Any]:
    """Which Sent messages to learn from (limit, since)."""
    ids = select_sent(services(), limit=state.limit, since=state.since)
    return {"message_ids": ids}


def clean(state: VoiceLearningState, *, services: ServicesProvider) -> dict[str, Any]:
    """Read the messages and chosen documents; strip quotes and signatures, redact PII."""
    corpus = build_corpus(services(), state.message_ids, state.drive_doc_ids)
    return {"corpus": corpus}


def learn(state: VoiceLearningState, *, services: ServicesProvider) -> dict[str, Any]:
    """Learn the candidate profile from the training samples."""
    assert state.corpus is not None
    return {"candidate": learn_profile(services(), state.corpus)}


def validate(state: VoiceLearningState, *, services: ServicesProvider) -> dict[str, Any]:
    """Measure the candidate on the held-out mail and check it for PII."""
    assert state.corpus is not None and state.candidate is not None
    svc = services()
    persona = svc.settings.voice_contrast
    profile, report = validate_learned(svc, state.corpus, state.candidate, persona=persona)
    return {"profile": profile, "validation": report}


def after_validate(state: VoiceLearningState) -> Literal["store", "__end__"]:
    """A profile that failed validation is never stored: the run ends with the report."""
    # The literal, not `END`: the type checker sees END as a plain str.
    return "store" if state.validation is not None and state.validation.ok else "__end__"


def store(
    state: VoiceLearningState,
    runtime: Runtime[VoiceLearningContext],
    *,
    services: ServicesProvider,
) -> dict[str, Any]:
    """Save the validated profile as the operator's next version."""
    assert state.profile is not None and state.validation is not None
    # Studio may start a run without a context: the defaults apply then.
    context = runtime.context if runtime.context is not None else VoiceLearningContext()
    stored = store_profile(services(), state.profile, state.validation, actor=context.actor)
    return {"stored": stored}


def export(state: VoiceLearningState) -> dict[str, Any]:
    """The stored profile as JSON in the state, and in the `output` file when one was given."""
    assert state.stored is not None
    output = Path(state.output) if state.output else None
    return {"profile_json": export_profile(state.stored, output)}
