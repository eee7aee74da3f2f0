"""The follow-up graph: from a trigger to an approved (kept or sent) reply. Every path is here.

    trigger --new--> resolve_identity -> policy_precheck
            --repeat, nothing waits--> END
            --repeat, a draft waits--> await_approval (asked again)
            --superseded | handled (a draft waits)--> withdraw_draft
    withdraw_draft --superseded--> policy_precheck (the next draft version)
                   --handled--> record_outcome
    policy_precheck --blocked (kill switch, suppression, guardrails)--> record_outcome
                    --else--> read_thread | recall_memory | find_assets | propose_slots (parallel)
      -> plan_next_step --no draft (unsubscribe, out of office, ...)--> record_outcome
                        --else--> write_draft -> quality_gate
    quality_gate --PASS/WARN--> log_to_crm --FAIL, revisions left--> write_draft
                 --FAIL, none left (REJECTED)--> record_outcome
    log_to_crm -> place_gmail_draft -> await_approval (interrupt)
    await_approval --accept | edit--> deliver -> record_outcome
                   --respond (the operator's feedback)--> write_draft
                   --ignore | expired--> record_outcome
    record_outcome -> END

The nodes that write externally (plan_next_step's task, log_to_crm, place_gmail_draft,
await_approval, deliver) check the kill switch right before the write; a node that finds it
engaged ends the run as BLOCKED, and its router sends that run to record_outcome.

The builder is exported uncompiled, so each caller attaches its own checkpointer and store:
the CLI, the server and the workers compile it with Postgres, `langgraph.json` exports it
bare for the platform. Nodes get their services from the provider handed to the builder.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from langgraph.graph import END, START, StateGraph

from sales_agent.domain import GateStatus, Outcome, PlanAction
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupInput, FollowupOutput, FollowupState
from sales_agent.nodes.await_approval import await_approval
from sales_agent.nodes.deliver import deliver
from sales_agent.nodes.find_assets import find_assets
from sales_agent.nodes.log_to_crm import log_to_crm
from sales_agent.nodes.place_gmail_draft import place_gmail_draft
from sales_agent.nodes.plan_next_step import plan_next_step
from sales_agent.nodes.policy_precheck import policy_precheck
from sales_agent.nodes.propose_slots import propose_slots
from sales_agent.nodes.quality_gate import quality_gate
from sales_agent.nodes.read_thread import read_thread
from sales_agent.nodes.recall_memory import recall_memory
from sales_agent.nodes.record_outcome import record_outcome
from sales_agent.nodes.resolve_identity import resolve_identity
from sales_agent.nodes.trigger import trigger
from sales_agent.nodes.withdraw_draft import withdraw_draft
from sales_agent.nodes.write_draft import write_draft
from sales_agent.services import ServicesProvider

__all__ = ["GATHERERS", "GRAPH_ID", "FollowupBuilder", "build_followup"]

GRAPH_ID = "followup"

Gatherer = Literal["read_thread", "recall_memory", "find_assets", "propose_slots"]
GATHERERS: tuple[Gatherer, ...] = ("read_thread", "recall_memory", "find_assets", "propose_slots")

FollowupBuilder = StateGraph[FollowupState, FollowupContext, FollowupInput, FollowupOutput]


def route_arrival(
    state: FollowupState,
) -> Literal["resolve_identity", "await_approval", "withdraw_draft", "__end__"]:
    """What a trigger does to its thread: a first draft, a re-ask, a withdrawal, or nothing."""
    waiting = state.gmail_draft_id is not None and state.outcome is None
    if state.arrival == "new":
        return "resolve_identity"
    if state.arrival in ("superseded", "handled"):
        return "withdraw_draft"
    # A redelivered trigger: a waiting draft is asked for again, a finished thread stays so.
    # The literal, not `END`: the type checker sees END as a plain str.
    return "await_approval" if waiting else "__end__"


def route_withdrawn(state: FollowupState) -> Literal["policy_precheck", "record_outcome"]:
    """A superseded draft is written again for the newer message; a handled thread ends."""
    return "record_outcome" if state.outcome is not None else "policy_precheck"


def route_policy(state: FollowupState) -> list[Gatherer] | Literal["record_outcome"]:
    """Fan out to the four gatherers unless a policy stopped the run."""
    return "record_outcome" if state.outcome is not None else list(GATHERERS)


def route_plan(state: FollowupState) -> Literal["write_draft", "record_outcome"]:
    """Write only when the plan calls for a message."""
    if state.outcome is not None or state.plan is None:
        return "record_outcome"
    return "record_outcome" if state.plan.action is PlanAction.NO_ACTION else "write_draft"


def route_gate(state: FollowupState) -> Literal["log_to_crm", "write_draft", "record_outcome"]:
    """PASS/WARN go on to the CRM and Gmail; FAIL is rewritten, or REJECTED when out of tries."""
    assert state.gate is not None
    if state.gate.status is not GateStatus.FAIL:
        return "log_to_crm"
    return "record_outcome" if state.outcome is Outcome.REJECTED else "write_draft"


def route_logged(state: FollowupState) -> Literal["place_gmail_draft", "record_outcome"]:
    """On to Gmail, unless the kill switch stopped the CRM write."""
    return "record_outcome" if state.outcome is Outcome.BLOCKED else "place_gmail_draft"


def route_placed(state: FollowupState) -> Literal["await_approval", "record_outcome"]:
    """On to the operator, unless the kill switch stopped the Gmail write."""
    return "record_outcome" if state.outcome is Outcome.BLOCKED else "await_approval"


def route_decision(state: FollowupState) -> Literal["deliver", "write_draft", "record_outcome"]:
    """Accept and edit are delivered; respond is rewritten; everything else is recorded."""
    if state.outcome is None:
        return "write_draft"  # respond: the operator's feedback goes to the writer
    if state.outcome in (Outcome.APPROVED, Outcome.EDITED):
        return "deliver"
    return "record_outcome"


def build_followup(services: ServicesProvider) -> FollowupBuilder:
    """The follow-up graph's builder (not compiled); its nodes reach `services` when they run."""
    builder: FollowupBuilder = StateGraph(
        FollowupState,
        context_schema=FollowupContext,
        input_schema=FollowupInput,
        output_schema=FollowupOutput,
    )
    for name, node in (
        ("trigger", trigger),
        ("resolve_identity", resolve_identity),
        ("withdraw_draft", withdraw_draft),
        ("policy_precheck", policy_precheck),
        ("read_thread", read_thread),
        ("recall_memory", recall_memory),
        ("find_assets", find_assets),
        ("propose_slots", propose_slots),
        ("plan_next_step", plan_next_step),
        ("write_draft", write_draft),
        ("quality_gate", quality_gate),
        ("log_to_crm", log_to_crm),
        ("place_gmail_draft", place_gmail_draft),
        ("await_approval", await_approval),
        ("deliver", deliver),
        ("record_outcome", record_outcome),
    ):
        builder.add_node(name, partial(node, services=services))
    builder.add_edge(START, "trigger")
    builder.add_conditional_edges(
        "trigger", route_arrival, ["resolve_identity", "await_approval", "withdraw_draft", END]
    )
    builder.add_edge("resolve_identity", "policy_precheck")
    builder.add_conditional_edges(
        "withdraw_draft", route_withdrawn, ["policy_precheck", "record_outcome"]
    )
    builder.add_conditional_edges("policy_precheck", route_policy, [*GATHERERS, "record_outcome"])
    # The planner waits for all four gatherers (a join), then runs once.
    builder.add_edge(list(GATHERERS), "plan_next_step")
    builder.add_conditional_edges("plan_next_step", route_plan, ["write_draft", "record_outcome"])
    builder.add_edge("write_draft", "quality_gate")
    builder.add_conditional_edges(
        "quality_gate", route_gate, ["log_to_crm", "write_draft", "record_outcome"]
    )
    builder.add_conditional_edges(
        "log_to_crm", route_logged, ["place_gmail_draft", "record_outcome"]
    )
    builder.add_conditional_edges(
        "place_gmail_draft", route_placed, ["await_approval", "record_outcome"]
    )
    builder.add_conditional_edges(
        "await_approval", route_decision, ["deliver", "write_draft", "record_outcome"]
    )
    builder.add_edge("deliver", "record_outcome")
    builder.add_edge("record_outcome", END)
    return builder
