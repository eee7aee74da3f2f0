"""LangGraph state snapshots as JSON, in the shapes the Agent Server returns."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from langgraph.types import Interrupt, StateSnapshot

__all__ = ["interrupts_json", "state_json", "values_json"]


def interrupts_json(interrupts: tuple[Interrupt, ...]) -> list[dict[str, Any]]:
    """Pending interrupts as `[{"value", "id"}]`."""
    return [{"value": jsonable_encoder(i.value), "id": i.id} for i in interrupts]


def state_json(snap: StateSnapshot) -> dict[str, Any]:
    """A ThreadState: values, next nodes, tasks, interrupts, checkpoint and its parent."""
    checkpoint = dict(snap.config.get("configurable", {})) if snap.config else {}
    parent = dict(snap.parent_config.get("configurable", {})) if snap.parent_config else None
    state: dict[str, Any] = jsonable_encoder(
        {
            "values": snap.values,
            "next": list(snap.next),
            "tasks": [
                {
                    "id": task.id,
                    "name": task.name,
                    "interrupts": interrupts_json(task.interrupts),
                    # The published schema types `error` as a string: absent, not null.
                    **({"error": repr(task.error)} if task.error else {}),
                }
                for task in snap.tasks
            ],
            "interrupts": interrupts_json(snap.interrupts),
            "checkpoint": checkpoint or None,
            "metadata": snap.metadata or {},
            "created_at": snap.created_at,
            "parent_checkpoint": parent,
        }
    )
    return state


def values_json(snap: StateSnapshot, error: dict[str, str] | None = None) -> dict[str, Any]:
    """What `runs/wait` and `runs/join` return: the values, `__interrupt__`, `__error__`."""
    values: dict[str, Any] = jsonable_encoder(snap.values)
    if snap.interrupts:
        values["__interrupt__"] = interrupts_json(snap.interrupts)
    if error is not None:
        values["__error__"] = error
    return values
