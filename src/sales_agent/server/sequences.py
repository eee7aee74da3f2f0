"""Routes of the follow-up sequences (operator or admin keys); thin over policy/sequence_admin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from sales_agent.db.sequences import SequenceRow, list_sequences
from sales_agent.domain.sequence import SequenceStatus
from sales_agent.policy.sequence_admin import (
    SequenceNotFoundError,
    SequenceNotLiveError,
    stop_by_operator,
)
from sales_agent.server.admin.deps import Actor, Audited, ConnDep
from sales_agent.server.errors import ApiError

__all__ = ["router"]

router = APIRouter(prefix="/api/sequences", tags=["sequences"])

_STOP_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such sequence: `{code, message}`."},
    409: {"description": "The sequence already ended: `{code, message}`."},
}


class SequenceList(BaseModel):
    """GET /api/sequences: newest first."""

    sequences: list[SequenceRow]


@router.get("")
def get_sequences(
    conn: ConnDep,
    status: Annotated[SequenceStatus | None, Query(description="Only this status.")] = None,
    contact: Annotated[str | None, Query(max_length=320, description="One lead's address.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> SequenceList:
    """The sequences: who, how many touches, when the next is due, why one stopped."""
    return SequenceList(sequences=list_sequences(conn, status=status, email=contact, limit=limit))


@router.post("/{sequence_id}/stop", responses=_STOP_ERRORS)
def post_stop(sequence_id: int, body: Audited, conn: ConnDep, actor: Actor) -> SequenceRow:
    """Stop a sequence for good (audited `sequence_stopped`, reason `operator_stopped`)."""
    try:
        return stop_by_operator(
            conn,
            sequence_id=sequence_id,
            actor=actor,
            reason=body.reason,
            now=datetime.now(UTC),
        )
    except SequenceNotFoundError as exc:
        raise ApiError(404, exc.code, exc.message) from None
    except SequenceNotLiveError as exc:
        raise ApiError(409, exc.code, exc.message) from None
