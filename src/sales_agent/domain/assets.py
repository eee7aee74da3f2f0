"""A Drive file worth sending, as AssetHunter found it."""

from __future__ import annotations

from pydantic import Field

from sales_agent.domain._model import Frozen

__all__ = ["Asset"]


class Asset(Frozen):
    """A Drive file worth attaching or linking (an AssetHunter hit)."""

    file_id: str
    name: str
    asset_type: str
    url: str | None = None
    preview: str = Field(default="", description="The best-matching passage, 200 chars.")
    score: float = Field(default=0.0, ge=0.0, le=1.0, description="Relevance, 0 to 1.")
