"""What LongMemory returns: a past message relevant to a query (a plain model, no I/O).

Kept apart from the retrieval code so the graph's state can hold hits without importing
the database and embedding machinery.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

__all__ = ["PREVIEW_CHARS", "Direction", "MemoryHit"]

PREVIEW_CHARS = 150
Direction = Literal["inbound", "sent"]


class MemoryHit(BaseModel):
    """A past message relevant to the query, as the draft writer and the operator see it."""

    model_config = ConfigDict(frozen=True)

    message_id: str = Field(description="Gmail message id.")
    thread_id: str = Field(description="Gmail thread id, to read the whole conversation.")
    sender: str = Field(description="`Name <email>` of who wrote it.")
    timestamp: AwareDatetime = Field(description="When Gmail received or sent it.")
    preview: str = Field(max_length=PREVIEW_CHARS, description="The start of the new text.")
    relevance: float = Field(ge=0.0, le=1.0, description="Cosine similarity, 1 is closest.")
    direction: Direction = Field(description="`inbound` to the operator, or `sent` by them.")
    contact_email: str | None = Field(default=None, description="The external party.")
