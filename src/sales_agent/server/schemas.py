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
    "StreamMode",
    "ThreadCreate",
    "ThreadHistory",
    "ThreadSearch",
    "ThreadStateUpdate",
]

StreamMode = Literal["values", "updates"]


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
    """POST /threads/search: threads by metadata (contains), ids and status, newest first."""

    metadata: dict[str, Any] = Field(default_factory=dict)
    ids: list[str] | None = None
    status: Literal["idle", "busy", "interrupted", "error"] | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class ThreadStateUpdate(_Body):
    """POST /threads/{thread_id}/state: write values as if `as_node` had returned them."""

    values: dict[str, Any] | None = None
    as_node: str | None = None
    checkpoint_id: str | None = None


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
    multitask_strategy: Literal["reject"] = "reject"
