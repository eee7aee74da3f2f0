"""The approval contract: the Agent Inbox interrupt we raise and the resumes we accept.

Interrupt: a one-element list of `HumanInterrupt` (`action_request{action,args}`,
`config{allow_accept,allow_edit,allow_respond,allow_ignore}`, `description`), as Agent Inbox
expects; or, with the `hitl_request` shape, one `HITLRequest` (`action_requests[{name, args,
description}]`, `review_configs[{action_name, allowed_decisions}]`), as Agent Chat UI and
LangChain's human-in-the-loop middleware expect. Resume: either Agent Inbox's
`HumanResponse` (a list of one, or the object itself:
`{"type": "accept"|"edit"|"response"|"ignore", "args": ...}`) or the newer decisions shape
(`{"decisions": [{"type": "approve"|"edit"|"reject"|"respond", ...}]}`). The agent itself
resumes a waiting thread with `{"system": "expired"}` when the approval window passes; news
on the Gmail thread (a newer message, the operator's own reply) comes in as a trigger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.domain.assets import Asset
from sales_agent.domain.draft import Draft, GateResult
from sales_agent.domain.plan import NextStepPlan
from sales_agent.domain.slots import ProposedSlot
from sales_agent.domain.thread import ThreadContext

__all__ = [
    "ACCEPT",
    "SYSTEM_EVENTS",
    "ApprovalDecision",
    "ApprovalRequest",
    "InterruptShape",
    "InvalidResumeError",
    "build_interrupt",
    "parse_resume",
]

ACTION = "approve_gmail_draft"
ACCEPT: list[dict[str, Any]] = [{"type": "accept", "args": None}]
"""The Agent Inbox response that approves a draft as it stands."""
# What this graph can do with each decision today; Agent Inbox hides the other buttons.
ALLOWED = {"allow_accept": True, "allow_edit": True, "allow_respond": True, "allow_ignore": True}
SYSTEM_EVENTS = ("expired",)
DecisionKind = Literal["accept", "edit", "respond", "ignore", "expired"]
InterruptShape = Literal["agent_inbox", "hitl_request"]
# The decisions the newer shape offers for our action (respond has no button there).
_HITL_DECISIONS = ["approve", "edit", "reject"]


class InvalidResumeError(ValueError):
    """A resume value that is neither a HumanResponse nor a decisions object."""


class ApprovalDecision(BaseModel):
    """The operator's decision, whichever shape it arrived in."""

    model_config = ConfigDict(frozen=True)

    kind: DecisionKind
    subject: str | None = None
    body: str | None = None
    feedback: str | None = Field(default=None, description="What to change (respond).")

    @property
    def by_operator(self) -> bool:
        """False for the agent's own resume (expired)."""
        return self.kind not in SYSTEM_EVENTS


def _description(request: ApprovalRequest) -> str:
    zone = ZoneInfo(request.timezone)
    thread, plan, gate = request.thread, request.plan, request.gate
    lines = [f"## Reply to {', '.join(request.draft.to)}", ""]
    if plan is not None and plan.flag_for_operator:
        lines += [f"> **Check this one:** {plan.reason} (risk {plan.risk}).", ""]
    if thread is not None:
        lines += [f"**Why:** {thread.intent.replace('_', ' ')}. {thread.summary}", ""]
    if plan is not None:
        lines += [f"**Plan:** {plan.action} ({plan.tone}, urgency {plan.urgency}): {plan.reason}"]
        lines.append("")
    lines.append("**Slots offered:**")
    slots = [f"- {s.start.astimezone(zone):%a %d %b %H:%M} ({s.reason})" for s in request.slots]
    lines += slots or ["- none"]
    lines += ["", "**Asset to attach before sending:**"]
    lines += [
        f"- [{a.name}]({a.url}) ({a.asset_type.replace('_', ' ')})" for a in request.assets
    ] or ["- none"]
    lines += ["", f"**Quality gate:** {gate.status} (risk score {gate.risk_score})"]
    lines += [f"- {v.severity}: {v.message}" for v in gate.violations]
    return "\n".join(lines)


@dataclass(frozen=True)
class ApprovalRequest:
    """What the operator is asked to approve, and the context shown with it."""

    draft: Draft
    thread: ThreadContext | None
    plan: NextStepPlan | None
    slots: Sequence[ProposedSlot]
    assets: Sequence[Asset]
    gate: GateResult
    gmail_draft_id: str
    timezone: str


def _action_args(request: ApprovalRequest) -> dict[str, Any]:
    draft = request.draft
    return {
        "to": list(draft.to),
        "subject": draft.subject,
        "body": draft.body,
        "gmail_draft_id": request.gmail_draft_id,
        "slots": [slot.start.isoformat() for slot in request.slots],
        "assets": [asset.file_id for asset in request.assets],
    }


def build_interrupt(
    request: ApprovalRequest, shape: InterruptShape = "agent_inbox"
) -> list[dict[str, Any]] | dict[str, Any]:
    """The interrupt for one draft: Agent Inbox's `HumanInterrupt` list, or a `HITLRequest`."""
    if shape == "hitl_request":
        return {
            "action_requests": [
                {
                    "name": ACTION,
                    "args": _action_args(request),
                    "description": _description(request),
                }
            ],
            "review_configs": [{"action_name": ACTION, "allowed_decisions": list(_HITL_DECISIONS)}],
        }
    return [
        {
            "action_request": {"action": ACTION, "args": _action_args(request)},
            "config": dict(ALLOWED),
            "description": _description(request),
        }
    ]


_AGENT_INBOX = {"accept": "accept", "edit": "edit", "ignore": "ignore", "response": "respond"}
_DECISIONS = {"approve": "accept", "edit": "edit", "reject": "ignore", "respond": "respond"}


def _edited_text(payload: dict[str, Any]) -> tuple[str | None, str | None]:
    # Agent Inbox sends the edited action request as {"action": ..., "args": {...}}; the
    # decisions shape puts the edited fields on the decision, under "args", or (as Agent
    # Chat UI sends them) in "edited_action": {"name": ..., "args": {...}}.
    args = payload.get("args", payload.get("edited_action"))
    if isinstance(args, dict) and isinstance(args.get("args"), dict):
        args = args["args"]
    source = args if isinstance(args, dict) else payload
    subject, body = source.get("subject"), source.get("body")
    if body is not None and not isinstance(body, str):
        raise InvalidResumeError("an edit's body must be text")
    if subject is not None and not isinstance(subject, str):
        raise InvalidResumeError("an edit's subject must be text")
    if not (body or subject):
        raise InvalidResumeError("an edit needs a new subject or body in args")
    return subject, body


def _feedback(payload: dict[str, Any]) -> str:
    # Agent Inbox puts the operator's text in args; the decisions shape may name it.
    args = payload.get("args")
    text = args if isinstance(args, str) else None
    for source in (args if isinstance(args, dict) else {}, payload):
        text = text or source.get("feedback") or source.get("message")
    if not isinstance(text, str) or not text.strip():
        raise InvalidResumeError("a respond needs the operator's feedback as text in args")
    return text.strip()


def parse_resume(value: Any) -> ApprovalDecision:
    """Normalise a resume value; raise `InvalidResumeError` with what was expected."""
    if isinstance(value, dict) and "system" in value:
        if value["system"] not in SYSTEM_EVENTS:
            raise InvalidResumeError(f"system resume must be one of {list(SYSTEM_EVENTS)}")
        return ApprovalDecision(kind=value["system"])
    if isinstance(value, dict) and "decisions" in value:
        decisions = value["decisions"]
        if not isinstance(decisions, list) or len(decisions) != 1:
            raise InvalidResumeError("'decisions' must be a list with one decision")
        payload, names = decisions[0], _DECISIONS
    else:
        if isinstance(value, list):
            if len(value) != 1:
                raise InvalidResumeError("a HumanResponse list must hold exactly one response")
            value = value[0]
        payload, names = value, _AGENT_INBOX
    if not isinstance(payload, dict) or payload.get("type") not in names:
        raise InvalidResumeError(
            f"expected a response with type in {sorted(names)}, got {payload!r:.200}"
        )
    kind = names[payload["type"]]
    if kind == "respond":
        return ApprovalDecision(kind="respond", feedback=_feedback(payload))
    if kind == "edit":
        subject, body = _edited_text(payload)
        return ApprovalDecision(kind="edit", subject=subject, body=body)
    return ApprovalDecision(kind=kind)
