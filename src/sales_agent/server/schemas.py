"""Request bodies of the thread API: the subset of the LangGraph Agent Server schema we serve.

Fields we do not act on yet are accepted (extra="allow") so that langgraph-sdk clients,
which send them with defaults, are not refused.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AssistantSearch", "CommandBody", "RunCreate", "ThreadCreate"]


class AssistantSearch(BaseModel):
    """POST /assistants/search."""

    model_config = ConfigDict(extra="allow")

    graph_id: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class ThreadCreate(BaseModel):
    """POST /threads."""

    model_config = ConfigDict(extra="allow")

    thread_id: str | None = Field(default=None, min_length=1, max_length=256)
    metadata: dict[str, Any] = Field(default_factory=dict)
    if_exists: Literal["raise", "do_nothing"] = "raise"


class CommandBody(BaseModel):
    """The `command` of a run: we act on `resume`."""

    model_config = ConfigDict(extra="allow")

    resume: Any = None


class RunCreate(BaseModel):
    """POST /threads/{thread_id}/runs/wait."""

    model_config = ConfigDict(extra="allow")

    assistant_id: str
    input: dict[str, Any] | None = None
    command: CommandBody | None = None
    context: dict[str, Any] | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    if_not_exists: Literal["reject", "create"] = "reject"
