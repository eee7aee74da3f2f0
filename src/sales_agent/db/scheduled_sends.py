"""The `scheduled_sends` table: approved drafts and story pitches waiting for their window.

A row is a follow-up draft's (`draft_id`) or a story pitch's (`story_id`, the pitch being
the story's to `contact_email`; `thread_id` is then the story run's execution id).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from procrastinate import SyncPsycopgConnector, jobs
from procrastinate.manager import JobManager
from psycopg import Connection
from psycopg.rows import DictRow

__all__ = [
    "SCHEDULE_LOCK",
    "SEND_TASK",
    "ScheduledStatus",
    "booked_sends",
    "cancel_thread_sends",
    "defer_send_job",
    "get_scheduled",
    "insert_scheduled",
    "set_job",
    "settle_scheduled",
]

SEND_TASK = "sends.deliver"
"""The task that sends one scheduled draft (registered in `jobs/send_tasks.py`)."""

ScheduledStatus = Literal["scheduled", "sent", "refused", "failed"]

SCHEDULE_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('sales_agent.scheduled_sends', 0))"
"""Taken while a send window is chosen, so two approvals never pick the same moment."""

_BOOKED = """
SELECT send_at AS at, company FROM scheduled_sends
WHERE status IN ('scheduled', 'sent') AND send_at >= %(since)s AND send_at < %(until)s
UNION ALL
SELECT sent_at AS at, NULL AS company FROM send_ledger
WHERE status = 'sent' AND sent_at >= %(since)s AND sent_at < %(until)s
  AND idempotency_key NOT IN (SELECT key FROM scheduled_sends)
"""
_INSERT = """
INSERT INTO scheduled_sends (key, draft_id, story_id, thread_id, contact_email, company,
                             company_id, gmail_draft_id, draft_key, gmail_thread_id, send_at)
VALUES (%(key)s, %(draft_id)s, %(story_id)s, %(thread_id)s, %(contact_email)s, %(company)s,
        %(company_id)s, %(gmail_draft_id)s, %(draft_key)s, %(gmail_thread_id)s, %(send_at)s)
ON CONFLICT (key) DO NOTHING
RETURNING key
"""
_SET_JOB = "UPDATE scheduled_sends SET job_id = %(job_id)s WHERE key = %(key)s"
_GET = "SELECT * FROM scheduled_sends WHERE key = %(key)s"
_SETTLE = """
UPDATE scheduled_sends SET status = %(status)s, reason = %(reason)s,
    sent_message_id = coalesce(%(message_id)s, sent_message_id), updated_at = now()
WHERE key = %(key)s
"""


def booked_sends(
    conn: Connection[DictRow], *, since: datetime, until: datetime
) -> list[dict[str, Any]]:
    """Sends scheduled or made in [since, until): `at` and `company` (None when unknown)."""
    return conn.execute(_BOOKED, {"since": since, "until": until}).fetchall()


def insert_scheduled(conn: Connection[DictRow], **fields: Any) -> bool:
    """Record a send for its window; False when `key` was scheduled already (a re-run)."""
    return conn.execute(_INSERT, fields).fetchone() is not None


# Defers on the caller's connection, inside its transaction (as `jobs.enqueue` does).
_JOBS = JobManager(SyncPsycopgConnector())


def defer_send_job(conn: Connection[DictRow], *, key: str, send_at: datetime) -> int:
    """Queue the job that sends `key`; no worker takes it before `send_at`. Its id."""
    job = jobs.Job(
        id=None,
        queue=jobs.DEFAULT_QUEUE,
        lock=None,
        queueing_lock=None,
        task_name=SEND_TASK,
        task_kwargs={"key": key},
        scheduled_at=send_at,
    )
    deferred = _JOBS.defer_job(job, connection=conn)
    assert deferred.id is not None  # set by the INSERT
    return deferred.id


def set_job(conn: Connection[DictRow], *, key: str, job_id: int) -> None:
    """Remember the procrastinate job that will send `key`."""
    conn.execute(_SET_JOB, {"key": key, "job_id": job_id})


def get_scheduled(conn: Connection[DictRow], *, key: str) -> dict[str, Any] | None:
    """The scheduled send of `key`, or None."""
    return conn.execute(_GET, {"key": key}).fetchone()


def settle_scheduled(
    conn: Connection[DictRow],
    *,
    key: str,
    status: ScheduledStatus,
    reason: str = "",
    message_id: str | None = None,
) -> None:
    """Mark the send sent, refused (a re-check said no) or failed (Gmail refused it)."""
    conn.execute(
        _SETTLE, {"key": key, "status": status, "reason": reason, "message_id": message_id}
    )


_CANCEL_ON_THREAD = """
UPDATE scheduled_sends SET status = 'refused', reason = %(reason)s, updated_at = now()
WHERE gmail_thread_id = %(gmail_thread_id)s AND status = 'scheduled'
RETURNING key, draft_id::text AS draft_id, thread_id, contact_email, company_id
"""


def cancel_thread_sends(
    conn: Connection[DictRow], *, gmail_thread_id: str, reason: str
) -> list[dict[str, Any]]:
    """Refuse every send still waiting for its window on a Gmail thread; the rows refused.

    Their jobs then find them settled and send nothing (a job leaves an ended send alone).
    """
    return conn.execute(
        _CANCEL_ON_THREAD, {"gmail_thread_id": gmail_thread_id, "reason": reason}
    ).fetchall()
