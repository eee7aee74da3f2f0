"""DraftWriterAgent: the reply, in the operator's voice, shaped by the plan.

With a model configured, a tool-calling agent over the read-only tools writes it (bounded
rounds, validated structured output, one retry); when that fails, or with no model, the
deterministic offline writer composes it from the voice profile. On a revision (the gate
failed, or the operator asked for changes) the notes say what to fix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.db.crm_mirror import contact_by_email
from sales_agent.domain import PlanAction, ResolvedIdentity, ThreadContext
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._gate import gate_context_for
from sales_agent.nodes.model_writer import WriterRequest, write_with_model
from sales_agent.nodes.offline.writer import WriterInput, first_name_of, write_offline_draft
from sales_agent.policy.crm_names import CrmNames
from sales_agent.services import Services, ServicesProvider, current_crm_names
from sales_agent.tools.agent_tools import ToolSettings, build_read_only_tools

__all__ = ["write_draft"]


def _names_someone_else(detail: str, identity: ResolvedIdentity, crm: CrmNames) -> bool:
    """True when `detail` names a CRM company or person other than the recipient's own."""
    view = crm.view(
        mentionable=frozenset({identity.email.lower()}),
        own_company_id=identity.company_id,
        own_company_name=identity.company_name,
    )
    people, companies = view.others_in(detail)
    return bool(people or companies)


def _safe_thread(state: FollowupState, crm: CrmNames) -> ThreadContext | None:
    # A lead asking about another client ("what did you charge X?") must not get X echoed
    # back: such a detail is dropped here, and the gate would reject a draft that kept it.
    # A revision drops the quoted detail too: it is the likeliest cause of a failed gate.
    thread, identity = state.thread, state.identity
    assert identity is not None
    if thread is None or not thread.detail:
        return thread
    if state.revisions > 0 or _names_someone_else(thread.detail, identity, crm):
        return thread.model_copy(update={"detail": None})
    return thread


def _recipients(state: FollowupState) -> tuple[str, ...]:
    """The lead, and for a referral the people introduced first (see `read_thread`)."""
    assert state.identity is not None
    introduced = state.thread.introduced if state.thread is not None else ()
    return (*introduced, state.identity.email)


def _greeting_name(state: FollowupState, services: Services) -> str:
    assert state.identity is not None
    thread = state.thread
    if thread is None or not thread.introduced:
        return first_name_of(state.identity)
    with services.pool.connection() as conn:
        known = contact_by_email(conn, thread.introduced[0])
    name = (known.first_name or known.last_name) if known else thread.introduced_first_name
    return (name or thread.introduced[0].split("@", 1)[0].split(".")[0].title()).split()[0]


def offline_input(
    state: FollowupState, services: Services, seed: str, now: datetime
) -> WriterInput:
    """What the offline writer (and the model writer's fallback) composes from."""
    assert state.identity is not None and state.plan is not None
    return WriterInput(
        identity=state.identity,
        thread=_safe_thread(state, current_crm_names(services)),
        plan=state.plan,
        slots=state.slots,
        voice=services.voice,
        timezone=state.lead_time_zone or services.settings.timezone,  # slots as they read them
        seed=f"{seed}:{state.revisions}",
        recipients=_recipients(state),
        greeting_name=_greeting_name(state, services),
        today=now.date(),  # the date the reader and the planner read the lead's time against
    )


def _model_request(state: FollowupState, services: Services, now: datetime) -> WriterRequest:
    assert state.identity is not None and state.plan is not None
    settings = services.settings
    action = state.plan.action
    assert action is not PlanAction.NO_ACTION  # the planner ends those runs
    return WriterRequest(
        identity=state.identity,
        to=_recipients(state),
        greeting_name=_greeting_name(state, services),
        operator_name=settings.operator_name,
        operator_email=settings.operator_email,
        voice=services.voice,
        timezone=state.lead_time_zone or settings.timezone,
        action=action.value,
        tone=state.plan.tone,
        suggested_cta=state.plan.suggested_cta or None,
        plan_reason=state.plan.reason,
        thread=_safe_thread(state, current_crm_names(services)),
        slots=tuple(state.slots),
        assets=(state.plan.asset,) if state.plan.asset else (),
        revision_notes=tuple(state.revision_notes),
        link_allowed_domains=settings.link_allowed_domains,
        gate_context=gate_context_for(state, services, now),
    )


def write_draft(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Compose the draft for the plan (a revision when the gate or the operator asked)."""
    svc = services()
    offline = offline_input(state, svc, current_thread_id(runtime), run_clock(runtime))
    model = svc.chat_model
    if model is None:
        return {"draft": write_offline_draft(offline), "writer": "offline"}
    tools = build_read_only_tools(svc.connectors, ToolSettings.from_settings(svc.settings))
    request = _model_request(state, svc, run_clock(runtime))
    rounds = run_context(runtime).max_tool_rounds
    result = write_with_model(model, tools, request, max_tool_rounds=rounds)
    if result.draft is not None:
        return {"draft": result.draft, "writer": "model"}
    # Recorded in the state (and so in the trace and the inbox): why this one is offline.
    return {
        "draft": write_offline_draft(offline),
        "writer": f"offline fallback: {result.fallback_reason}",
    }
