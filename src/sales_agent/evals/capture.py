"""What a finished run leaves for the evaluators.

The state's decisions and the ground truth around them (thread, CRM, suppression list,
voice), read once so that replay needs nothing.
"""

from __future__ import annotations

from sales_agent.connectors.gmail_parsing import strip_reply
from sales_agent.db.crm_mirror import contacts_of_company, names_since
from sales_agent.domain import ResolvedIdentity
from sales_agent.evals.trace import TraceContext, TraceOutputs, TraceTask, VoiceSnapshot
from sales_agent.graph.state import FollowupState
from sales_agent.policy.gate_context import thread_participants
from sales_agent.policy.suppression import is_suppressed
from sales_agent.services import Services

__all__ = ["capture_context", "capture_outputs"]

_COLLEAGUES_LISTED = 500


def _tasks(services: Services, state: FollowupState) -> list[TraceTask]:
    if state.crm_task_id is None:
        return []
    task = services.connectors.hubspot.get_task(state.crm_task_id)
    return [TraceTask(id=task.id, subject=task.subject or "", due=task.due)]


def capture_outputs(services: Services, state: FollowupState, interrupt: object) -> TraceOutputs:
    """The agent's decisions and writes, from the final state (and the CRM and our database)."""
    thread, plan, draft = state.thread, state.plan, state.draft
    # The lead, or for a delivery failure the address that bounced (the sender is a daemon).
    addresses = [
        *([state.identity.email] if state.identity else []),
        *([thread.bounced_address] if thread and thread.bounced_address else []),
    ]
    with services.pool.connection() as conn:
        suppressed = any(is_suppressed(conn, address) is not None for address in addresses)
    return TraceOutputs(
        intent=thread.intent if thread else None,
        detail=thread.detail if thread else None,
        language=thread.language if thread else None,
        summary=thread.summary if thread else None,
        plan=plan.model_dump(mode="json") if plan else None,
        action=plan.action.value if plan else None,
        flagged=bool(plan and plan.flag_for_operator),
        writer=state.writer,
        draft=draft,
        gate=state.gate.model_dump(mode="json") if state.gate else None,
        slots=list(state.slots),
        assets=[asset.model_dump(mode="json") for asset in state.assets],
        gmail_draft_id=state.gmail_draft_id,
        crm_note_id=state.crm_note_id,
        crm_task_id=state.crm_task_id,
        tasks=_tasks(services, state),
        suppressed=suppressed,
        recipients=list(draft.to) if draft else [],
        interrupt=interrupt,
        outcome=state.outcome.value if state.outcome else None,
        outcome_reason=state.outcome_reason,
    )


def _voice(services: Services) -> VoiceSnapshot:
    voice = services.voice
    return VoiceSnapshot(
        version=voice.version,
        greeting=voice.greeting,
        sign_off=voice.sign_off,
        signature=voice.signature,
        openers=list(voice.openers),
        value_lines=list(voice.value_lines),
        cta_templates=list(voice.cta_templates),
        fallback_cta=voice.fallback_cta,
        forbidden_words=list(voice.forbidden_words),
    )


def _others(
    services: Services, identity: ResolvedIdentity | None, on_thread: set[str]
) -> tuple[list[str], list[str]]:
    company_id = identity.company_id if identity else None
    # Every name of the mirror: an eval's trace lists them all for the leak evaluator.
    with services.pool.connection() as conn:
        every = names_since(conn, 0)
    companies = [n.name for n in every if n.kind == "company" and n.key != company_id]
    people = [
        n.name
        for n in every
        if n.kind == "person"
        and n.key not in on_thread
        and (company_id is None or n.company_id != company_id)
    ]
    return companies, people


def _colleagues(services: Services, identity: ResolvedIdentity | None) -> list[str]:
    if identity is None or identity.company_id is None:
        return []
    with services.pool.connection() as conn:
        contacts = contacts_of_company(conn, identity.company_id, _COLLEAGUES_LISTED)
    return [contact.email.lower() for contact in contacts]


def capture_context(services: Services, state: FollowupState) -> TraceContext:
    """The thread, the lead, the other clients and the voice the run was judged against."""
    operator = services.settings.operator_email.lower()
    identity = state.identity
    participants: list[str] = []
    thread_text, lead_text, had_operator = state.trigger.message or "", "", False
    gmail_thread_id = state.trigger.gmail_thread_id
    if gmail_thread_id:
        thread = services.connectors.gmail.get_thread(gmail_thread_id)
        sent = [m for m in thread.messages if not m.is_draft]
        participants = list(thread_participants(thread))
        thread_text = "\n\n".join(m.body_text for m in sent)
        inbound = [m for m in sent if m.sender.email.lower() != operator]
        lead_text = strip_reply(inbound[-1].body_text) if inbound else ""
        last_inbound = inbound[-1].id if inbound else None
        had_operator = any(m.sender.email.lower() == operator for m in sent if m.id != last_inbound)
    elif state.trigger.message:
        lead_text = state.trigger.message
    if identity is not None and identity.email not in participants:
        participants.append(identity.email)
    companies, people = _others(services, identity, {p.lower() for p in participants})
    return TraceContext(
        operator_email=operator,
        timezone=services.settings.timezone,
        lead_email=identity.email if identity else None,
        lead_first_name=identity.first_name if identity else None,
        lead_company=identity.company_name if identity else None,
        participants=participants,
        thread_text=thread_text,
        lead_text=lead_text,
        had_operator_message=had_operator,
        other_companies=companies,
        other_people=people,
        colleagues=_colleagues(services, identity),
        voice=_voice(services),
    )
