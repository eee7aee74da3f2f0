"""LangGraph stream chunks as the Agent Server's server-sent events.

The graph streams in its own modes; clients ask for the Agent Server's. The mapping:

- `values`, `updates`, `custom`, `tasks`: as the graph yields them.
- `debug` and `checkpoints`: a checkpoint's payload gains `checkpoint` and `parent_checkpoint`
  (`{thread_id, checkpoint_ns, checkpoint_id}`), which Studio reads to fork and replay.
- `messages-tuple`: one `messages` event per chunk, `[message, metadata]`.
- `messages`: `messages/metadata` the first time a message id is seen, then
  `messages/complete` with the message (our model calls do not stream tokens).
- `events`: LangChain's `on_chain_start` / `on_chain_end` per node, built from the graph's
  task events (a sync graph has no `astream_events`; this is the part Studio draws).
- with `stream_subgraphs`, a subgraph's events are named `mode|namespace`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi.encoders import jsonable_encoder
from langgraph.types import StreamMode as GraphMode

__all__ = ["EventTranslator", "graph_modes"]

_GRAPH_MODE: dict[str, GraphMode] = {
    "values": "values",
    "updates": "updates",
    "custom": "custom",
    "tasks": "tasks",
    "debug": "debug",
    "checkpoints": "checkpoints",
    "messages": "messages",
    "messages-tuple": "messages",
    "events": "tasks",
}


def graph_modes(requested: Sequence[str]) -> list[GraphMode]:
    """The graph's stream modes for the client's; `checkpoints` always (step boundaries)."""
    modes: set[GraphMode] = {"checkpoints"}
    modes.update(_GRAPH_MODE[mode] for mode in requested if mode in _GRAPH_MODE)
    return sorted(modes)


def _ids(config: dict[str, Any] | None) -> dict[str, Any] | None:
    if not config:
        return None
    configurable = config.get("configurable", {})
    keys = ("thread_id", "checkpoint_ns", "checkpoint_id")
    return {key: configurable.get(key, "") for key in keys}


def _with_ids(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        **payload,
        "checkpoint": _ids(payload.get("config")),
        "parent_checkpoint": _ids(payload.get("parent_config")),
    }


@dataclass
class EventTranslator:
    """Turns one run's `(namespace, mode, chunk)` triples into `(event, data)` pairs."""

    requested: frozenset[str]
    _seen_messages: set[str] = field(default_factory=set)

    def translate(
        self, namespace: tuple[str, ...], mode: str, chunk: Any
    ) -> Iterator[tuple[str, Any]]:
        """The events one chunk becomes (none when the client did not ask for its mode)."""
        suffix = f"|{'|'.join(namespace)}" if namespace else ""
        for event, data in self._events(mode, chunk):
            yield event + suffix, jsonable_encoder(data)

    def _events(self, mode: str, chunk: Any) -> Iterator[tuple[str, Any]]:
        if mode == "checkpoints" and "checkpoints" in self.requested:
            yield "checkpoints", _with_ids(chunk)
        elif mode == "debug":
            if chunk.get("type") == "checkpoint":
                chunk = {**chunk, "payload": _with_ids(chunk["payload"])}
            yield "debug", chunk
        elif mode == "messages":
            yield from self._messages(chunk)
        elif mode == "tasks":
            if "tasks" in self.requested:
                yield "tasks", chunk
            if "events" in self.requested:
                yield "events", _chain_event(chunk)
        elif mode in self.requested:
            yield mode, chunk

    def _messages(self, chunk: Any) -> Iterator[tuple[str, Any]]:
        message, metadata = chunk
        if "messages-tuple" in self.requested:
            yield "messages", [message, metadata]
        if "messages" in self.requested:
            message_id = getattr(message, "id", None) or ""
            if message_id not in self._seen_messages:
                self._seen_messages.add(message_id)
                yield "messages/metadata", {message_id: {"metadata": metadata}}
            yield "messages/complete", [message]


def _chain_event(task: dict[str, Any]) -> dict[str, Any]:
    """A task start or result as LangChain's `astream_events` v2 reports a chain."""
    started = "input" in task
    return {
        "event": "on_chain_start" if started else "on_chain_end",
        "name": task.get("name"),
        "run_id": task.get("id"),
        "tags": [],
        "metadata": {"langgraph_node": task.get("name")},
        "data": {"input": task["input"]} if started else {"output": task.get("result")},
    }
