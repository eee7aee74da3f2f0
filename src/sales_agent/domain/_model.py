"""The base of the domain's value objects: frozen, and strict about unknown fields."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Frozen"]


class Frozen(BaseModel):
    """An immutable value: a node returns a new one, never mutates one in state."""

    model_config = ConfigDict(frozen=True, extra="forbid")
