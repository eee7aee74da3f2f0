"""`privacy export EMAIL`: everything held about a person, as one JSON document."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic_core import to_jsonable_python

from sales_agent.jobs.followup_runs import checkpointer
from sales_agent.privacy._places import PLACES, Subject, existing, subject_for
from sales_agent.services import Services

__all__ = ["export_subject"]

_AUDIT = """
SELECT id, occurred_at, actor, action, thread_id, draft_id, reason, metadata
FROM audit_log WHERE contact_email = %(email)s ORDER BY id
"""
_SUPPRESSIONS = "SELECT * FROM suppressions WHERE kind = 'email' AND value = %(email)s"
_SENDS = "SELECT * FROM send_ledger WHERE contact_email = %(email)s ORDER BY reserved_at"
_REFERENCES = {"audit_events": _AUDIT, "suppressions": _SUPPRESSIONS, "sends": _SENDS}


def _rows(conn: Connection[DictRow], query: str, params: dict[str, Any]) -> list[Any]:
    return [to_jsonable_python(row, fallback=str) for row in conn.execute(query, params)]


def _thread_states(services: Services, subject: Subject) -> dict[str, Any]:
    """Each thread's latest checkpointed state (the run's view of the person)."""
    saver = checkpointer(services)
    states: dict[str, Any] = {}
    for thread_id in subject.threads:
        saved = saver.get_tuple({"configurable": {"thread_id": thread_id}})
        if saved is not None:
            values = saved.checkpoint["channel_values"]
            states[thread_id] = to_jsonable_python(values, fallback=str)
    return states


def export_subject(
    services: Services, email: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """Every row about the person at `email`, grouped by where it is kept."""
    with services.pool.connection() as conn:
        subject = subject_for(services, conn, email)
        params = subject.params()
        present = existing(conn, [place.table for place in PLACES])
        document: dict[str, Any] = {
            "email": subject.email,
            "names": list(subject.names),
            "exported_at": (now or datetime.now(UTC)).isoformat(),
            "threads": list(subject.threads),
        }
        for key, query in _REFERENCES.items():
            document[key] = _rows(conn, query, params)
        for place in PLACES:
            query = f"SELECT {place.columns} FROM {place.table} WHERE {place.where}"
            document[place.table] = _rows(conn, query, params) if place.table in present else []
    document["thread_states"] = _thread_states(services, subject)
    return document
