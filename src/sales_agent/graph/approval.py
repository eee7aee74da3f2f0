"""The approval contract: the Agent Inbox interrupt we raise and the resumes we accept.

Interrupt: a one-element list of `HumanInterrupt` (`action_request{action,args}`,
`config{allow_accept,allow_edit,allow_respond,allow_ignore}`, `description`), as Agent Inbox
expects. Resume: either Agent Inbox's `HumanResponse` (a list of one, or the object itself:
`{"type": "accept"|"edit"|"response"|"ignore", "args": ...}`) or the newer decisions shape
(`{"decisions": [{"type": "approve"|"edit"|"reject"|"respond", ...}]}`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from sales_agent.graph.state import Draft, GateResult, ProposedSlot, ThreadContext

__all__ = ["ApprovalDecision", "InvalidResumeError", "build_interrupt", "parse_resume"]

ACTION = "approve_gmail_draft"
# What this graph can do with each decision today; Agent Inbox hides the other buttons.
ALLOWED = {"allow_accept": True, "allow_edit": True, "allow_respond": False, "allow_ignore": True}


class InvalidResumeError(ValueError):
    """A resume value that is neither a HumanResponse nor a decisions object."""


class ApprovalDecision(BaseModel):
    """The operator's decision, whichever shape it arrived in."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["accept", "edit", "ignore"]
    subject: str | None = None
    body: str | None = None


def _description(
    draft: Draft,
    thread: ThreadContext | None,
    slots: Sequence[ProposedSlot],
    gate: GateResult,
    timezone: str,
) -> str:
    zone = ZoneInfo(timezone)
    lines = [f"## Reply to {', '.join(draft.to)}", ""]
    if thread is not None:
        lines += [f"**Why:** {thread.intent.replace('_', ' ')}. {thread.summary}", ""]
    lines.append("**Slots offered:**")
    lines += [f"- {s.start.astimezone(zone):%a %d %b %H:%M} ({s.reason})" for s in slots] or [
        "- none free"
    ]
    lines += ["", f"**Quality gate:** {gate.status}"]
    lines += [f"- {v.severity}: {v.message}" for v in gate.violations]
    return "\n".join(lines)


def build_interrupt(
    *,
    draft: Draft,
    thread: ThreadContext | None,
    slots: Sequence[ProposedSlot],
    gate: GateResult,
    gmail_draft_id: str,
    timezone: str,
) -> list[dict[str, Any]]:
    """The Agent Inbox `HumanInterrupt` list for one draft."""
    return [
        {
            "action_request": {
                "action": ACTION,
                "args": {
                    "to": list(draft.to),
                    "subject": draft.subject,
                    "body": draft.body,
                    "gmail_draft_id": gmail_draft_id,
                    "slots": [slot.start.isoformat() for slot in slots],
                },
            },
            "config": dict(ALLOWED),
            "description": _description(draft, thread, slots, gate, timezone),
        }
    ]


_AGENT_INBOX = {"accept": "accept", "edit": "edit", "ignore": "ignore", "response": "respond"}
_DECISIONS = {"approve": "accept", "edit": "edit", "reject": "ignore", "respond": "respond"}


def _edited_text(payload: dict[str, Any]) -> tuple[str | None, str | None]:
    # Agent Inbox sends the edited action request as {"action": ..., "args": {...}}; the
    # decisions shape puts the edited fields directly on the decision or under "args".
    args = payload.get("args")
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


def parse_resume(value: Any) -> ApprovalDecision:
    """Normalise a resume value; raise `InvalidResumeError` with what was expected."""
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
        raise InvalidResumeError("respond is not enabled for this draft (allow_respond is false)")
    if kind == "edit":
        subject, body = _edited_text(payload)
        return ApprovalDecision(kind="edit", subject=subject, body=body)
    return ApprovalDecision(kind=kind)
