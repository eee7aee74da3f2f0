"""Request bodies of the thread API: the subset of the LangGraph Agent Server schema we serve.

Fields we do not act on are accepted (extra="allow") so that langgraph-sdk clients, which
send them with defaults, are not refused.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AssistantSearch",
    "CommandBody",
    "RunCreate",
    "StateAtCheckpoint",
    "StreamMode",
    "ThreadCreate",
    "ThreadHistory",
    "ThreadPatch",
    "ThreadSearch",
    "ThreadStateUpdate",
]

StreamMode = Literal[
    "values",
    "updates",
    "messages",
    "messages-tuple",
    "custom",
    "events",
    "debug",
    "tasks",
    "checkpoints",
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class AssistantSearch(_Body):
    """POST /assistants/search."""

    graph_id: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class ThreadCreate(_Body):
    """POST /threads."""

    thread_id: str | None = Field(default=None, min_length=1, max_length=256)
    metadata: dict[str, Any] = Field(default_factory=dict)
    if_exists: Literal["raise", "do_nothing"] = "raise"


class ThreadSearch(_Body):
    """POST /threads/search: threads by metadata (contains), values, ids and status."""

    metadata: dict[str, Any] = Field(default_factory=dict)
    values: dict[str, Any] = Field(
        default_factory=dict, description="Top-level state values the thread must hold."
    )
    ids: list[str] | None = None
    status: Literal["idle", "busy", "interrupted", "error"] | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class ThreadPatch(_Body):
    """PATCH /threads/{thread_id}: metadata merged into the thread's."""

    metadata: dict[str, Any] = Field(default_factory=dict)


class ThreadStateUpdate(_Body):
    """POST /threads/{thread_id}/state: write values as if `as_node` had returned them."""

    values: dict[str, Any] | None = None
    as_node: str | None = None
    checkpoint_id: str | None = None


class StateAtCheckpoint(_Body):
    """POST /threads/{thread_id}/state/checkpoint: the state at `checkpoint`."""

    checkpoint: dict[str, Any] = Field(
        description="`{checkpoint_id}` (and optionally `thread_id`, `checkpoint_ns`)."
    )
    subgraphs: bool = False


class ThreadHistory(_Body):
    """POST /threads/{thread_id}/history: past states, newest first."""

    limit: int = Field(default=10, ge=1, le=1000)
    before: str | dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None


class CommandBody(_Body):
    """The `command` of a run: we act on `resume`."""

    resume: Any = None


class RunCreate(_Body):
    """POST /threads/{thread_id}/runs, /runs/wait and /runs/stream."""

    assistant_id: str
    input: dict[str, Any] | None = None
    command: CommandBody | None = None
    context: dict[str, Any] | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    if_not_exists: Literal["reject", "create"] = "reject"
    stream_mode: StreamMode | list[StreamMode] = "values"
    stream_subgraphs: bool = False
    multitask_strategy: Literal["reject", "interrupt", "rollback", "enqueue"] = Field(
        default="reject",
        description="Accepted for compatibility; a busy thread always refuses (409).",
    )
    checkpoint_id: str | None = None
    checkpoint: dict[str, Any] | None = Field(
        default=None, description="Where to start: `{checkpoint_id}` (a fork)."
    )
