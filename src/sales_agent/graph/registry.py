"""The graphs `langgraph.json` exports, compiled without a checkpointer or store.

The platform (`langgraph dev`, LangGraph Platform) attaches its own.
"""

from __future__ import annotations

from sales_agent.graph.followup import build_followup

__all__ = ["followup"]

followup = build_followup().compile(name="followup")
