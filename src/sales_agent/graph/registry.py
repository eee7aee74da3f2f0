"""The graphs `langgraph.json` exports, compiled without a checkpointer or store.

The platform (`langgraph dev`, LangGraph Platform) attaches its own.
"""

from __future__ import annotations

from sales_agent.graph.followup import build_followup
from sales_agent.graph.voice_learning import build_voice_learning

__all__ = ["followup", "voice_learning"]

followup = build_followup().compile(name="followup")
voice_learning = build_voice_learning().compile(name="voice_learning")
