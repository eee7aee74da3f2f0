"""The graphs `langgraph.json` exports, compiled without a checkpointer or store.

The platform (`langgraph dev`, LangGraph Platform) attaches its own; the nodes open this
process's services on first use, since the platform hands the builders nothing.
"""

from __future__ import annotations

from sales_agent.graph.followup import build_followup
from sales_agent.graph.story_pitch import build_story_pitch
from sales_agent.graph.voice_learning import build_voice_learning
from sales_agent.services import lazily_opened_services

__all__ = ["followup", "story_pitch", "voice_learning"]

followup = build_followup(lazily_opened_services).compile(name="followup")
story_pitch = build_story_pitch(lazily_opened_services).compile(name="story_pitch")
voice_learning = build_voice_learning(lazily_opened_services).compile(name="voice_learning")
