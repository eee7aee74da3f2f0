"""The follow-up graph: from a trigger to an approved (kept or sent) reply.

    trigger -> resolve_identity -> policy_precheck --blocked--> record_outcome
      -> read_thread | recall_memory | find_assets | propose_slots   (parallel)
      -> plan_next_step --NO_ACTION (unsubscribe, out of office)--> record_outcome
      -> write_draft -> quality_gate --FAIL, revisions left--> write_draft
                                     --FAIL, none left--> record_outcome (REJECTED)
      -> log_to_crm -> place_gmail_draft -> await_approval (interrupt)
           accept / edit -> deliver -> record_outcome
           respond -> write_draft (the operator's feedback)
           ignore, handled, expired -> record_outcome
           superseded -> policy_precheck (the newer thread, next draft version)
    (log_to_crm, place_gmail_draft, await_approval and deliver end the run as BLOCKED when
    the kill switch is engaged before their external write)

The builder is exported uncompiled, so each caller attaches its own checkpointer: the CLI
and server compile it with Postgres, `langgraph.json` exports it bare for the platform.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupInput, FollowupState
from sales_agent.nodes.await_approval import await_approval
from sales_agent.nodes.deliver import deliver
from sales_agent.nodes.find_assets import find_assets
from sales_agent.nodes.log_to_crm import log_to_crm
from sales_agent.nodes.place_gmail_draft import place_gmail_draft
from sales_agent.nodes.plan_next_step import plan_next_step
from sales_agent.nodes.policy_precheck import GATHERERS, policy_precheck
from sales_agent.nodes.propose_slots import propose_slots
from sales_agent.nodes.quality_gate import quality_gate
from sales_agent.nodes.read_thread import read_thread
from sales_agent.nodes.recall_memory import recall_memory
from sales_agent.nodes.record_outcome import record_outcome
from sales_agent.nodes.resolve_identity import resolve_identity
from sales_agent.nodes.trigger import trigger
from sales_agent.nodes.write_draft import write_draft

__all__ = ["GRAPH_ID", "build_followup"]

GRAPH_ID = "followup"


def build_followup() -> StateGraph[FollowupState, FollowupContext, FollowupInput, FollowupState]:
    """The follow-up graph's builder (not compiled)."""
    builder = StateGraph(FollowupState, context_schema=FollowupContext, input_schema=FollowupInput)
    builder.add_node("trigger", trigger)
    builder.add_node("resolve_identity", resolve_identity)
    builder.add_node("policy_precheck", policy_precheck)
    builder.add_node("read_thread", read_thread)
    builder.add_node("recall_memory", recall_memory)
    builder.add_node("find_assets", find_assets)
    builder.add_node("propose_slots", propose_slots)
    builder.add_node("plan_next_step", plan_next_step)
    builder.add_node("write_draft", write_draft)
    builder.add_node("quality_gate", quality_gate)
    builder.add_node("log_to_crm", log_to_crm)
    builder.add_node("place_gmail_draft", place_gmail_draft)
    builder.add_node("await_approval", await_approval)
    builder.add_node("deliver", deliver)
    builder.add_node("record_outcome", record_outcome)
    builder.add_edge(START, "trigger")
    builder.add_edge("trigger", "resolve_identity")
    builder.add_edge("resolve_identity", "policy_precheck")
    # The planner waits for all four gatherers (a join), then runs once.
    builder.add_edge(list(GATHERERS), "plan_next_step")
    builder.add_edge("write_draft", "quality_gate")
    builder.add_edge("deliver", "record_outcome")
    builder.add_edge("record_outcome", END)
    return builder
