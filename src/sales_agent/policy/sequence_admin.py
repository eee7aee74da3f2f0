"""What an operator does to sequences: look one up, stop one, give a contact a cadence.

The CLI (`sales-agent sequences`) and the API (`/api/sequences`) both call these, so a stop
from either is the same audited change.
"""

from __future__ import annotations

from datetime import datetime

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.db.sequence_cadences import update_live_cadence, upsert_cadence_override
from sales_agent.db.sequences import SequenceRow, get_sequence
from sales_agent.domain.sequence import Cadence
from sales_agent.errors import SalesAgentError
from sales_agent.policy.audit import record_event
from sales_agent.policy.sequences import stop

__all__ = [
    "SequenceNotFoundError",
    "SequenceNotLiveError",
    "require_sequence",
    "set_cadence",
    "stop_by_operator",
]


class SequenceNotFoundError(SalesAgentError):
    """No sequence has that id."""

    code = "sequence_not_found"


class SequenceNotLiveError(SalesAgentError):
    """The sequence already ended; there is nothing to stop."""

    code = "sequence_not_live"


def _reason_required(reason: str) -> None:
    if not reason.strip():
        raise SalesAgentError("say why, for the audit log (--reason)", code="reason_required")


def require_sequence(conn: Connection[DictRow], sequence_id: int) -> SequenceRow:
    """The sequence, or `SequenceNotFoundError` naming where to find the ids."""
    row = get_sequence(conn, sequence_id)
    if row is None:
        raise SequenceNotFoundError(
            f"no sequence {sequence_id}: `sales-agent sequences list` shows their ids"
        )
    return row


def stop_by_operator(
    conn: Connection[DictRow], *, sequence_id: int, actor: str, reason: str, now: datetime
) -> SequenceRow:
    """The operator's stop: for good, audited with their name and reason."""
    _reason_required(reason)
    current = require_sequence(conn, sequence_id)
    stopped = stop(
        conn,
        sequence_id=sequence_id,
        reason="operator_stopped",
        actor=actor,
        now=now,
        detail=reason,
    )
    if stopped is None:
        raise SequenceNotLiveError(
            f"sequence {sequence_id} already ended ({current.status}"
            f"{', ' + current.stop_reason if current.stop_reason else ''}): nothing to stop"
        )
    return stopped


def set_cadence(
    conn: Connection[DictRow], *, email: str, cadence: Cadence, actor: str, reason: str
) -> int:
    """Give a contact a cadence of their own; their live sequence takes it at once.

    Returns how many live sequences changed (0 or 1). A touch already due keeps its date;
    the ones after follow the new cadence.
    """
    _reason_required(reason)
    with conn.transaction():
        upsert_cadence_override(conn, email=email, cadence=cadence, actor=actor)
        changed = update_live_cadence(conn, email=email, cadence=cadence)
        record_event(
            conn,
            actor=actor,
            action="sequence_cadence_set",
            contact_email=email.lower(),
            reason=reason,
            metadata={
                "days": list(cadence.days),
                "max_touches": cadence.max_touches,
                "live_sequences_changed": changed,
            },
        )
    return changed
