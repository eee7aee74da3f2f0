"""A callback handler that records a run as the eval runner reads it.

The node path with timings, tool calls with arguments and results, and model messages.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler

__all__ = ["TraceRecorder"]


class TraceRecorder(BaseCallbackHandler):
    """Collects what one graph run did; attach it with `config={"callbacks": [recorder]}`."""

    def __init__(self) -> None:
        self.node_path: list[str] = []
        self.node_ms: list[dict[str, Any]] = []
        self.tool_calls: list[dict[str, Any]] = []
        self.model_messages: list[dict[str, Any]] = []
        self._started: dict[UUID, tuple[str, float]] = {}

    def on_chain_start(
        self,
        serialized: dict[str, Any] | None,
        inputs: Any,
        *,
        run_id: UUID,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """Start timing a node's own runnable."""
        node = (metadata or {}).get("langgraph_node")
        # A node's own runnable carries its name; runnables nested inside it share the
        # metadata but not the name, and are not steps of the path.
        if node and kwargs.get("name") == node:
            self.node_path.append(str(node))
            self._started[run_id] = (str(node), time.perf_counter())

    def _finish_node(self, run_id: UUID, status: str) -> None:
        started = self._started.pop(run_id, None)
        if started is not None:
            node, t0 = started
            elapsed = round((time.perf_counter() - t0) * 1000, 3)
            self.node_ms.append({"node": node, "ms": elapsed, "status": status})

    def on_chain_end(self, outputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        """Close a node's timing as ok."""
        self._finish_node(run_id, "ok")

    def on_chain_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        """Close a node's timing as interrupted (approval pause) or error."""
        # LangGraph ends a node with GraphInterrupt when it pauses for approval.
        status = "interrupted" if type(error).__name__ == "GraphInterrupt" else "error"
        self._finish_node(run_id, status)

    def on_tool_start(
        self, serialized: dict[str, Any] | None, input_str: str, *, run_id: UUID, **kwargs: Any
    ) -> None:
        """Record a tool call with its arguments."""
        name = (serialized or {}).get("name") or kwargs.get("name") or "tool"
        self.tool_calls.append({"id": str(run_id), "name": name, "args": input_str})

    def on_tool_end(self, output: Any, *, run_id: UUID, **kwargs: Any) -> None:
        """Attach the tool's result to its call."""
        for call in self.tool_calls:
            if call["id"] == str(run_id):
                call["result"] = str(output)

    def on_chat_model_start(
        self, serialized: dict[str, Any] | None, messages: list[list[Any]], **kwargs: Any
    ) -> None:
        """Record the messages sent to a chat model."""
        for message in messages[-1] if messages else []:
            self.model_messages.append({"role": message.type, "content": str(message.content)})

    def as_dict(self) -> dict[str, Any]:
        """The recorded trace fields."""
        return {
            "node_path": self.node_path,
            "node_ms": self.node_ms,
            "tool_calls": self.tool_calls,
            "model_messages": self.model_messages,
        }
