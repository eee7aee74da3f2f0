"""StoryPitchWriterAgent: one contact's pitch, run once per contact by the graph's fan-out.

With a model configured, the tool-calling writer over the read-only tools writes it (the
story's key message, CTA and asset as the plan; the contact's CRM record as data); when that
fails, or with no model, the offline writer composes it. The gate comes next, per pitch.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.domain.story import Pitch
from sales_agent.graph.context import FollowupContext, run_clock, run_context
from sales_agent.graph.story_state import PitchTask
from sales_agent.nodes._story_pitch import pitch_gate_context, pitch_identity
from sales_agent.nodes.model_writer import WriterRequest, write_with_model
from sales_agent.nodes.offline.story_writer import PitchInput, write_offline_pitch
from sales_agent.services import Services, ServicesProvider
from sales_agent.tools.agent_tools import ToolSettings, build_read_only_tools

__all__ = ["write_pitch"]


def _model_request(
    task: PitchTask, services: Services, given: PitchInput, now: datetime
) -> WriterRequest:
    story, settings = task.story, services.settings
    asset = f" Offer our {task.asset_kind} on it." if task.asset_kind else ""
    return WriterRequest(
        identity=pitch_identity(task.target.contact),
        to=(task.target.contact.email,),
        operator_name=settings.operator_name,
        operator_email=settings.operator_email,
        voice=services.voice,
        timezone=settings.timezone,
        action="PROPOSE_CALL" if story.cta_kind == "call" else "SEND_FOLLOWUP",
        tone="conversational",
        suggested_cta=None if story.cta_kind == "call" else story.cta,
        plan_reason=(
            f"A first-touch story pitch. Tell this story: {story.key_message} Make it about "
            "the contact's company and industry with one detail from their CRM record (never "
            f"an invented one).{asset}"
        ),
        slots=tuple(given.slots),
        link_allowed_domains=settings.link_allowed_domains,
        gate_context=pitch_gate_context(services, task.target.contact, now),
    )


def write_pitch(
    task: PitchTask, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """The pitch for `task`'s contact, written by the model or offline."""
    svc = services()
    given = PitchInput(
        story=task.story,
        target=task.target,
        voice=svc.voice,
        slots=task.slots,
        asset_kind=task.asset_kind,
        timezone=svc.settings.timezone,
    )
    draft, detail = write_offline_pitch(given)
    writer = "offline"
    if svc.chat_model is not None:
        tools = build_read_only_tools(svc.connectors, ToolSettings.from_settings(svc.settings))
        request = _model_request(task, svc, given, run_clock(runtime))
        rounds = run_context(runtime).max_tool_rounds
        result = write_with_model(svc.chat_model, tools, request, max_tool_rounds=rounds)
        if result.draft is not None:
            draft, writer = result.draft, "model"
        else:
            writer = f"offline fallback: {result.fallback_reason}"
    pitch = Pitch(target=task.target, draft=draft, writer=writer, detail=detail)
    return {"pitches": [pitch]}
