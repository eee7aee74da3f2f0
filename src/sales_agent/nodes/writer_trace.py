"""The model writer's trace: every message, tool call and validation, with timings.

Recorded as data (not only through callbacks) so the write_draft node can put it in the
run's trace even when the draft falls back to the offline writer, and tests can read it.
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "MessageEvent",
    "ToolEvent",
    "TraceBuilder",
    "TraceEvent",
    "ValidationEvent",
    "WriterTrace",
]

_MAX_RESULT_CHARS = 2000  # a tool result is kept whole for the model, cut for the trace


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MessageEvent(_Frozen):
    """A message sent to or received from the model."""

    kind: Literal["message"] = "message"
    role: str = Field(description="system, human, ai or tool (LangChain's message type).")
    content: str
    tool_calls: tuple[dict[str, Any], ...] = Field(
        default=(), description="The model's tool calls: name, args and id."
    )
    duration_ms: float | None = Field(default=None, description="The model call, for ai.")


class ToolEvent(_Frozen):
    """One read-only tool call the loop executed for the model."""

    kind: Literal["tool"] = "tool"
    name: str
    args: dict[str, Any]
    result: str = Field(description=f"The result as the model saw it, cut at {_MAX_RESULT_CHARS}.")
    error: bool = Field(description="True when the tool failed and the result is the error.")
    duration_ms: float


class ValidationEvent(_Frozen):
    """A submitted draft (or a plain-text answer) the validation refused."""

    kind: Literal["validation"] = "validation"
    attempt: int
    errors: tuple[str, ...]


TraceEvent = Annotated[MessageEvent | ToolEvent | ValidationEvent, Field(discriminator="kind")]


class WriterTrace(_Frozen):
    """What the model writer did, in order, with its counts."""

    events: tuple[TraceEvent, ...] = ()
    model_calls: int = Field(default=0, description="Chat model invocations, failed ones too.")
    tool_rounds: int = Field(default=0, description="Model turns whose read tools were run.")
    validation_failures: int = 0
    duration_ms: float = 0.0


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 3)


class TraceBuilder:
    """Collects events while the loop runs; `trace()` freezes them."""

    def __init__(self) -> None:
        self._started = time.perf_counter()
        self._events: list[TraceEvent] = []
        self.model_calls = 0
        self.tool_rounds = 0
        self.validation_failures = 0

    def message(self, message: BaseMessage, *, since: float | None = None) -> None:
        """Record a message; `since` is when the model call that produced it started."""
        calls = message.tool_calls if isinstance(message, AIMessage) else []
        self._events.append(
            MessageEvent(
                role=message.type,
                content=message.text,
                tool_calls=tuple(
                    {"name": c["name"], "args": c["args"], "id": c["id"]} for c in calls
                ),
                duration_ms=_ms(since) if since is not None else None,
            )
        )

    def tool(self, name: str, args: dict[str, Any], result: ToolMessage, since: float) -> None:
        """Record an executed tool call and its result."""
        self._events.append(
            ToolEvent(
                name=name,
                args=args,
                result=result.text[:_MAX_RESULT_CHARS],
                error=result.status == "error",
                duration_ms=_ms(since),
            )
        )

    def validation(self, errors: list[str]) -> None:
        """Record a refused draft."""
        self.validation_failures += 1
        self._events.append(ValidationEvent(attempt=self.validation_failures, errors=tuple(errors)))

    def trace(self) -> WriterTrace:
        """The events so far, with the counts and the elapsed time."""
        return WriterTrace(
            events=tuple(self._events),
            model_calls=self.model_calls,
            tool_rounds=self.tool_rounds,
            validation_failures=self.validation_failures,
            duration_ms=_ms(self._started),
        )
