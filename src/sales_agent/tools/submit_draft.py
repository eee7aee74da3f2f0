"""The writer's submit tool: how a model hands in its finished draft.

Its arguments are the structured output (validated against the gate's rules by the writer's
loop); calling it writes nothing: the draft reaches Gmail only through deterministic nodes.
"""

from __future__ import annotations

from langchain_core.tools import StructuredTool
from pydantic import BaseModel, Field

__all__ = ["SUBMIT_DRAFT", "SUBMIT_TOOL", "DraftSubmission"]

SUBMIT_TOOL = "submit_draft"


class DraftSubmission(BaseModel):
    """Submit the finished email. Call this once the draft follows every rule."""

    subject: str = Field(
        min_length=1, max_length=200, description="The subject; 'Re: <subject>' for a reply."
    )
    body: str = Field(
        min_length=1,
        description="The whole body: greeting, text, the one ask, sign-off and signature.",
    )


def _submitted(subject: str, body: str) -> str:
    # Never run: the loop reads submit_draft's arguments; the tool exists for its schema.
    return "received"


SUBMIT_DRAFT = StructuredTool.from_function(
    func=_submitted,
    name=SUBMIT_TOOL,
    description=(DraftSubmission.__doc__ or "").strip(),
    args_schema=DraftSubmission,
)
