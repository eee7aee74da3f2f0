"""DraftWriterAgent: the reply, in the operator's voice (offline writer for now)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.graph.context import FollowupContext, current_thread_id
from sales_agent.graph.state import FollowupState, ResolvedIdentity
from sales_agent.nodes.offline.writer import write_offline_draft
from sales_agent.policy.gate_context import CrmDirectory
from sales_agent.services import current_services

__all__ = ["write_draft"]


def _names_someone_else(detail: str, identity: ResolvedIdentity, crm: CrmDirectory) -> bool:
    """True when `detail` names a CRM company or person other than the recipient's own."""
    text = detail.casefold()
    companies = (c.name for c in crm.companies if c.id != identity.company_id)
    people = (p.name for p in crm.people if p.email != identity.email)
    return any(name.casefold() in text for name in (*companies, *people) if name)


def write_draft(state: FollowupState, runtime: Runtime[FollowupContext]) -> dict[str, Any]:
    """Compose the draft from the voice profile, the thread's facts and the slots."""
    services = current_services()
    identity = state.identity
    assert identity is not None
    thread = state.thread
    # A lead asking about another client ("what did you charge X?") must not get X echoed
    # back: such a detail is dropped here, and the gate would reject a draft that kept it.
    if (
        thread is not None
        and thread.detail
        and _names_someone_else(thread.detail, identity, services.crm)
    ):
        thread = thread.model_copy(update={"detail": None})
    draft = write_offline_draft(
        identity=identity,
        thread=thread,
        slots=state.slots,
        voice=services.voice,
        timezone=services.settings.timezone,
        seed=current_thread_id(runtime),
    )
    return {"draft": draft}
