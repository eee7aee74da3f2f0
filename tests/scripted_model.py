"""A scripted chat model: answers with the next message of a script, emitting tool calls.

A harness for measuring and testing the model path offline (the benchmark counts model
calls per draft with it; the writer's tests script each branch of the loop). It is never
configured by `SALES_AGENT_MODEL`: the product runs a real model or the offline writer.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

__all__ = ["ScriptedChatModel", "tool_calls"]

_ids = itertools.count(1)


def tool_calls(*pairs: tuple[str, dict[str, Any]]) -> AIMessage:
    """A model turn calling the given tools with the given arguments."""
    return AIMessage(
        content="",
        tool_calls=[{"name": n, "args": a, "id": f"call_{next(_ids)}"} for n, a in pairs],
    )


class ScriptedChatModel(BaseChatModel):
    """Answers with the next scripted message and remembers what it was sent."""

    script: list[AIMessage]
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    bound: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.append(list(messages))
        return ChatResult(generations=[ChatGeneration(message=self.script.pop(0))])

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        """Record the tool names; the script decides which to call."""
        self.bound = [convert_to_openai_tool(t)["function"]["name"] for t in tools]
        return self
