"""The audit trail: append-only events with actor and reason (the database keeps the chain).

Writing (`record_event`, `record_change`), reading (`query_events`, `export_csv`) and
checking the hash chain (`verify_chain`) of the `audit_log` table.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict

from sales_agent.errors import SalesAgentError
from sales_agent.policy._audit_chain import ChainReport, verify_chain
from sales_agent.policy.pii import redact_value

__all__ = [
    "AuditError",
    "AuditEvent",
    "AuditPage",
    "ChainReport",
    "export_csv",
    "query_events",
    "record_change",
    "record_event",
    "verify_chain",
]

MAX_PAGE_SIZE = 1000
_EXPORT_BATCH = 500

_INSERT_EVENT = """
INSERT INTO audit_log
    (actor, action, thread_id, draft_id, contact_email, company_id, reason, metadata)
VALUES (%(actor)s, %(action)s, %(thread_id)s, %(draft_id)s, %(contact_email)s,
        %(company_id)s, %(reason)s, %(metadata)s)
RETURNING id
"""
# Every filter is optional: a NULL parameter matches every row. `after_id` lets the export
# walk the log in keyset batches.
_WHERE = """
WHERE (%(contact_email)s::text IS NULL OR contact_email = %(contact_email)s)
  AND (%(thread_id)s::text IS NULL OR thread_id = %(thread_id)s)
  AND (%(company_id)s::text IS NULL OR company_id = %(company_id)s)
  AND (%(draft_id)s::uuid IS NULL OR draft_id = %(draft_id)s)
  AND (%(since)s::timestamptz IS NULL OR occurred_at >= %(since)s)
  AND (%(until)s::timestamptz IS NULL OR occurred_at < %(until)s)
  AND id > %(after_id)s
"""
_COLUMNS = (
    "id, occurred_at, actor, action, thread_id, draft_id::text AS draft_id, contact_email,"
    " subject_ref::text AS subject_ref, company_id, reason, metadata, prev_hash, hash"
)
_COUNT_EVENTS = f"SELECT count(*) AS total FROM audit_log {_WHERE}"
_SELECT_EVENTS = f"""
SELECT {_COLUMNS} FROM audit_log {_WHERE}
ORDER BY id LIMIT %(limit)s OFFSET %(offset)s
"""


class AuditError(SalesAgentError):
    """An audit call was given something it cannot use; the message says what to pass."""

    code = "audit_error"


class AuditEvent(BaseModel):
    """One row of the audit log, as stored."""

    model_config = ConfigDict(frozen=True)

    id: int
    occurred_at: datetime
    actor: str
    action: str
    thread_id: str | None
    draft_id: str | None
    contact_email: str | None
    """None once the person was erased (`sales-agent privacy erase`)."""
    subject_ref: str | None
    """The address's pseudonym, which the hash covers in its place (migration 0009)."""
    company_id: str | None
    reason: str
    metadata: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    """One page of events matching a query, oldest first, with the total across pages."""

    events: list[AuditEvent]
    page: int
    page_size: int
    total: int


def record_event(
    conn: Connection[DictRow],
    *,
    actor: str,
    action: str,
    thread_id: str | None = None,
    draft_id: str | None = None,
    contact_email: str | None = None,
    company_id: str | None = None,
    reason: str = "",
    metadata: dict[str, Any] | None = None,
) -> int:
    """Append one event and return its id; PII in `reason` and `metadata` is redacted first.

    The contact's address is kept apart from the hashed content (as its pseudonym), so it
    can be erased; the reason and metadata are hashed, so they must never hold it.
    """
    row = conn.execute(
        _INSERT_EVENT,
        {
            "actor": actor,
            "action": action,
            "thread_id": thread_id,
            "draft_id": draft_id,
            "contact_email": contact_email.lower() if contact_email else None,
            "company_id": company_id,
            "reason": redact_value(reason),
            "metadata": Jsonb(redact_value(metadata or {})),
        },
    ).fetchone()
    assert row is not None
    return int(row["id"])


def record_change(
    conn: Connection[DictRow],
    *,
    actor: str,
    action: str,
    reason: str,
    metadata: dict[str, Any] | None = None,
) -> int:
    """Audit an operator's change of policy: refused without an actor and a reason.

    Call it inside the transaction that makes the change, so a refusal undoes the change.
    """
    if not actor.strip():
        raise AuditError("a policy change needs an actor: pass who made it (--actor)")
    if not reason.strip():
        raise AuditError("a policy change needs a reason for the audit log: pass --reason")
    return record_event(
        conn, actor=actor.strip(), action=action, reason=reason.strip(), metadata=metadata
    )


def _params(
    *,
    contact_email: str | None,
    thread_id: str | None = None,
    company_id: str | None,
    draft_id: str | None,
    since: datetime | None,
    until: datetime | None,
) -> dict[str, Any]:
    if draft_id is not None:
        try:
            draft_id = str(uuid.UUID(draft_id))
        except ValueError:
            raise AuditError(
                f"{draft_id!r} is not a draft id: pass the UUID shown in the approvals queue"
            ) from None
    for name, moment in (("since", since), ("until", until)):
        if moment is not None and moment.tzinfo is None:
            raise AuditError(f"'{name}' needs a time zone (e.g. 2026-11-24T00:00:00+00:00)")
    return {
        "contact_email": contact_email.lower() if contact_email else None,
        "thread_id": thread_id,
        "company_id": company_id,
        "draft_id": draft_id,
        "since": since,
        "until": until,
        "after_id": 0,
    }


def query_events(
    conn: Connection[DictRow],
    *,
    contact_email: str | None = None,
    company_id: str | None = None,
    draft_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    page_size: int = 50,
    thread_id: str | None = None,
) -> AuditPage:
    """Events matching every given filter (`since` inclusive, `until` exclusive), paged."""
    if page < 1:
        raise AuditError(f"page {page} does not exist: pages start at 1")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise AuditError(f"page size {page_size} is out of range: use 1 to {MAX_PAGE_SIZE}")
    params = _params(
        contact_email=contact_email,
        thread_id=thread_id,
        company_id=company_id,
        draft_id=draft_id,
        since=since,
        until=until,
    )
    count = conn.execute(_COUNT_EVENTS, params).fetchone()
    assert count is not None
    rows = conn.execute(
        _SELECT_EVENTS, {**params, "limit": page_size, "offset": (page - 1) * page_size}
    ).fetchall()
    return AuditPage(
        events=[AuditEvent.model_validate(row) for row in rows],
        page=page,
        page_size=page_size,
        total=int(count["total"]),
    )


def _matching(conn: Connection[DictRow], params: dict[str, Any]) -> Iterator[AuditEvent]:
    """Every matching event, oldest first, read in keyset batches (memory stays flat)."""
    after_id = 0
    while True:
        batch = conn.execute(
            _SELECT_EVENTS, {**params, "after_id": after_id, "limit": _EXPORT_BATCH, "offset": 0}
        ).fetchall()
        for row in batch:
            yield AuditEvent.model_validate(row)
        if len(batch) < _EXPORT_BATCH:
            return
        after_id = int(batch[-1]["id"])


def export_csv(
    conn: Connection[DictRow],
    out: TextIO,
    *,
    contact_email: str | None = None,
    company_id: str | None = None,
    draft_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Write the matching events to `out` as CSV (a header row first); return the row count.

    Times are ISO 8601, metadata is compact JSON, and the hashes are included so an export
    can be checked against the chain later.
    """
    params = _params(
        contact_email=contact_email,
        company_id=company_id,
        draft_id=draft_id,
        since=since,
        until=until,
    )
    fields = list(AuditEvent.model_fields)
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    written = 0
    for event in _matching(conn, params):
        row = event.model_dump()
        row["occurred_at"] = event.occurred_at.isoformat()
        row["metadata"] = json.dumps(event.metadata, sort_keys=True, ensure_ascii=False)
        writer.writerow(row)
        written += 1
    return written
