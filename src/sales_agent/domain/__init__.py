"""The domain's types: what a lead, a thread, a plan, a draft and a gate result are.

Imported by every package above it (policy, connectors, memory, nodes, graphs, server);
imports nothing of ours, so no package cycle can run through it.
"""

from sales_agent.domain.approval import (
    ACCEPT,
    SYSTEM_EVENTS,
    ApprovalDecision,
    ApprovalRequest,
    InvalidResumeError,
    build_interrupt,
    parse_resume,
)
from sales_agent.domain.assets import Asset
from sales_agent.domain.draft import Draft, GateResult, GateStatus, GateViolation, Outcome
from sales_agent.domain.lead import ResolvedIdentity, Trigger
from sales_agent.domain.memory_hit import PREVIEW_CHARS, Direction, MemoryHit
from sales_agent.domain.plan import Level, NextStepPlan, PlanAction, Risk, Tone
from sales_agent.domain.slots import ProposedSlot, SlotRules
from sales_agent.domain.thread import (
    INTENTS,
    NO_PITCH_INTENTS,
    InjectionFinding,
    InjectionKind,
    Intent,
    ThreadContext,
)
from sales_agent.domain.thread_ids import thread_id_for

__all__ = [
    "ACCEPT",
    "INTENTS",
    "NO_PITCH_INTENTS",
    "PREVIEW_CHARS",
    "SYSTEM_EVENTS",
    "ApprovalDecision",
    "ApprovalRequest",
    "Asset",
    "Direction",
    "Draft",
    "GateResult",
    "GateStatus",
    "GateViolation",
    "InjectionFinding",
    "InjectionKind",
    "Intent",
    "InvalidResumeError",
    "Level",
    "MemoryHit",
    "NextStepPlan",
    "Outcome",
    "PlanAction",
    "ProposedSlot",
    "ResolvedIdentity",
    "Risk",
    "SlotRules",
    "ThreadContext",
    "Tone",
    "Trigger",
    "build_interrupt",
    "parse_resume",
    "thread_id_for",
]
