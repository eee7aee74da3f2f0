"""The operator inbox over the drafts table: list, detail, rejection reasons, decisions.

A decision resumes the draft's thread through the thread API's `wait` (the same path as a
langgraph-sdk client), so the graph alone decides what approve, edit, reject and respond do.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal
from urllib.parse import quote

from psycopg.rows import DictRow

from sales_agent.db.drafts import get_draft, list_drafts
from sales_agent.graph.followup import GRAPH_ID
from sales_agent.policy.audit import query_events
from sales_agent.server.errors import ApiError
from sales_agent.server.inbox_schemas import (
    DraftAuditEvent,
    DraftDetail,
    DraftList,
    DraftPublic,
    DraftRejection,
)
from sales_agent.server.schemas import CommandBody, RunCreate
from sales_agent.server.thread_service import ThreadService
from sales_agent.server.wait_runs import wait_run
from sales_agent.services import Services

__all__ = ["AUDIT_LIMIT", "InboxService", "gmail_draft_url"]

AUDIT_LIMIT = 200
"""Audit events shown with a draft (its thread's oldest first); `audit_total` says if more."""
_PENDING = "pending_approval"
# Statuses /rejection explains: the gate's rejection, and the operator's (graph: ignored).
_REJECTED_BY: dict[str, Literal["gate", "operator"]] = {"rejected": "gate", "ignored": "operator"}


def gmail_draft_url(services: Services, gmail_draft_id: str | None) -> str | None:
    """Where the operator opens the draft: Gmail's drafts view, or the sandbox's resource."""
    if gmail_draft_id is None:
        return None
    draft = quote(gmail_draft_id, safe="")
    if services.settings.uses_real_google:
        return f"https://mail.google.com/mail/u/0/#drafts?compose={draft}"
    if services.sandbox_url is not None:
        return f"{services.sandbox_url}/gmail/v1/users/me/drafts/{draft}"
    return None


def _not_found(draft_id: str) -> ApiError:
    return ApiError(404, "draft_not_found", f"no draft {draft_id}: list drafts at /api/drafts")


class InboxService:
    """What the inbox routes do, over the process's services and thread service."""

    def __init__(self, services: Services, threads: ThreadService) -> None:
        self._services = services
        self._threads = threads

    def list(
        self,
        *,
        status: str | None,
        contact_email: str | None,
        thread_id: str | None,
        page: int,
        page_size: int,
    ) -> DraftList:
        """One page of drafts, newest first, with the total across pages."""
        with self._services.pool.connection() as conn:
            rows, total = list_drafts(
                conn,
                status=status,
                contact_email=contact_email,
                thread_id=thread_id,
                limit=page_size,
                offset=(page - 1) * page_size,
            )
        drafts = [
            DraftPublic.model_validate(
                {**row, "gmail_url": gmail_draft_url(self._services, row["gmail_draft_id"])}
            )
            for row in rows
        ]
        return DraftList(drafts=drafts, page=page, page_size=page_size, total=total)

    def _row(self, draft_id: str) -> DictRow:
        try:
            uuid.UUID(draft_id)
        except ValueError:
            raise _not_found(draft_id) from None
        with self._services.pool.connection() as conn:
            row = get_draft(conn, draft_id=draft_id)
        if row is None:
            raise _not_found(draft_id)
        return row

    def detail(self, draft_id: str) -> DraftDetail:
        """A draft with its thread's context, gate result, Gmail ids and audit trail."""
        row = self._row(draft_id)
        context: dict[str, Any] = row["context"] or {}
        with self._services.pool.connection() as conn:
            audit = query_events(conn, thread_id=row["thread_id"], page_size=AUDIT_LIMIT)
        return DraftDetail(
            id=row["id"],
            thread_id=row["thread_id"],
            revision=row["revision"],
            status=row["status"],
            contact_email=row["contact_email"],
            subject=row["subject"],
            body=row["body"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            summary=context.get("summary"),
            intent=context.get("intent"),
            plan=context.get("plan"),
            slots=row["slots"],
            assets=context.get("assets", []),
            gate=row["gate"],
            writer=context.get("writer"),
            revisions=context.get("revisions", 0),
            gmail_thread_id=row["gmail_thread_id"],
            gmail_draft_id=row["gmail_draft_id"],
            gmail_url=gmail_draft_url(self._services, row["gmail_draft_id"]),
            sent_message_id=row["sent_message_id"],
            audit=[
                # What the operator reads of each event (no hashes, no pseudonym).
                DraftAuditEvent.model_validate(
                    event.model_dump(include=set(DraftAuditEvent.model_fields))
                )
                for event in audit.events
            ],
            audit_total=audit.total,
        )

    def rejection(self, draft_id: str) -> DraftRejection:
        """Why a draft was rejected (by the gate, or by the operator): reason, violations."""
        row = self._row(draft_id)
        rejected_by = _REJECTED_BY.get(row["status"])
        if rejected_by is None:
            raise ApiError(
                409,
                "draft_not_rejected",
                f"draft {draft_id} is {row['status']}: only a rejected or ignored draft has "
                "rejection reasons (see its gate result at /api/drafts/{id})",
            )
        gate: dict[str, Any] = row["gate"] or {}
        with self._services.pool.connection() as conn:
            events = query_events(conn, draft_id=draft_id, page_size=AUDIT_LIMIT).events
        outcomes = [e.reason for e in events if e.action.startswith("outcome_")]
        return DraftRejection(
            id=row["id"],
            status=row["status"],
            rejected_by=rejected_by,
            reason=outcomes[-1] if outcomes else gate.get("reason", ""),
            gate_status=gate.get("status"),
            risk_score=gate.get("risk_score"),
            violations=gate.get("violations", []),
            suggestions=gate.get("suggestions", []),
        )

    def decide(self, draft_id: str, decision: dict[str, Any]) -> DraftDetail:
        """Resume the draft's waiting thread with one decision; answer the draft's new state.

        Blocking: the resumed run executes on the calling thread (a route's pool thread).
        """
        row = self._row(draft_id)
        if row["status"] != _PENDING:
            raise ApiError(
                409,
                "draft_not_pending",
                f"draft {draft_id} is {row['status']}: only a draft pending approval can be "
                "decided",
            )
        thread_id = row["thread_id"]
        state = self._threads.state(thread_id)
        if state["values"].get("draft_record_id") != draft_id or not state["interrupts"]:
            raise ApiError(
                409,
                "draft_not_pending",
                f"thread {thread_id} no longer waits on draft {draft_id}: reload the inbox",
            )
        run = RunCreate(
            assistant_id=GRAPH_ID,
            command=CommandBody(resume={"decisions": [decision]}),
        )
        _, values = wait_run(self._threads, thread_id, run)
        if "__error__" in values:
            error = values["__error__"]
            raise ApiError(
                500,
                "run_failed",
                f"the run on thread {thread_id} failed ({error['error']}: {error['message']}); "
                "the draft's status shows where it stopped; the server log has the details",
            )
        return self.detail(draft_id)
