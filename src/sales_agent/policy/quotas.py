"""Send quotas, counted from the send ledger inside the transaction that reserves a send.

`reserve` takes one transaction-scoped advisory lock, counts, and inserts the reservation
before it lets go, so concurrent workers are serialised and can never exceed a limit between
the count and the insert. A single lock is enough and needed: the global quotas involve every
send. Days and ISO weeks are the operator's (`timezone`, by default Europe/London, the
default operator zone of `Settings.timezone`; callers pass `settings.timezone`): a "day" of
sending is the operator's working day, which UTC would shift by an hour every summer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.errors import SalesAgentError
from sales_agent.policy._quota_usage import QuotaUsage, usage_report, windows_at
from sales_agent.policy.audit import record_change
from sales_agent.policy.quota_limits import (
    QuotaLimits,
    QuotaLimitsError,
    QuotaType,
    load_limits,
    set_limits,
    update_limits,
)

__all__ = [
    "DEFAULT_TIMEZONE",
    "LedgerError",
    "QuotaExceeded",
    "QuotaLimits",
    "QuotaLimitsError",
    "QuotaType",
    "QuotaUsage",
    "SendKind",
    "check_quota",
    "load_limits",
    "mark_sent",
    "quota_status",
    "release",
    "reserve",
    "reset_quotas",
    "set_limits",
    "update_limits",
]

DEFAULT_TIMEZONE = "Europe/London"
SendKind = Literal["followup", "story"]

_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('sales_agent.send_ledger', 0))"
_FIND = """
SELECT id, kind, contact_email, status FROM send_ledger WHERE idempotency_key = %(key)s
"""
_INSERT = """
INSERT INTO send_ledger
    (idempotency_key, kind, contact_email, thread_id, story_id, execution_id, status, reserved_at)
VALUES (%(key)s, %(kind)s, %(contact)s, %(thread_id)s, %(story_id)s, %(execution_id)s,
        'reserved', %(now)s)
RETURNING id
"""
# A released key reserved again counts afresh, from now.
_REVIVE = """
UPDATE send_ledger SET status = 'reserved', reserved_at = %(now)s, released_at = NULL,
    thread_id = %(thread_id)s, story_id = %(story_id)s, execution_id = %(execution_id)s
WHERE id = %(id)s
"""
_MARK_SENT = """
UPDATE send_ledger SET status = 'sent', sent_at = %(now)s
WHERE idempotency_key = %(key)s AND status = 'reserved'
RETURNING id
"""
_RELEASE = """
UPDATE send_ledger SET status = 'released', released_at = %(now)s
WHERE idempotency_key = %(key)s AND status = 'reserved'
RETURNING id
"""
# Every row that counts toward some quota at `now`: those in the time windows, and story
# rows of an execution (which count for their execution however old they are).
_RESET = """
UPDATE send_ledger SET status = 'released', released_at = %(now)s
WHERE status <> 'released'
  AND (reserved_at >= %(since)s OR (kind = 'story' AND execution_id IS NOT NULL))
"""


class QuotaExceeded(SalesAgentError):  # noqa: N818 - the name the issue gives it
    """A send would exceed a quota: which one, its limit, its use, and when it frees up."""

    code = "quota_exceeded"

    def __init__(
        self, quota_type: QuotaType, limit: int, current: int, reset_at: datetime | None
    ) -> None:
        when = (
            f"it frees up at {reset_at.isoformat()}"
            if reset_at is not None
            else "it does not free up by itself"
        )
        flag = quota_type.replace("_", "-")
        super().__init__(
            f"quota {quota_type} reached ({current} of {limit} used); {when}. Wait, or raise "
            f"it with `sales-agent admin quotas set-limits --{flag} N --reason R`"
        )
        self.quota_type = quota_type
        self.limit = limit
        self.current = current
        self.reset_at = reset_at


class LedgerError(SalesAgentError):
    """A send-ledger call that does not fit the ledger's state; the message says why."""

    code = "send_ledger_error"


def _now(now: datetime | None) -> datetime:
    if now is not None and now.tzinfo is None:
        raise LedgerError("'now' needs a time zone (e.g. datetime.now(UTC))")
    return now or datetime.now(UTC)


def check_quota(
    conn: Connection[DictRow],
    *,
    kind: SendKind,
    contact_email: str,
    story_id: str | None = None,
    execution_id: str | None = None,
    now: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> QuotaExceeded | None:
    """The refusal one more send would meet (the narrowest quota first), or None; reads only.

    `story_id` is accepted for symmetry with `reserve`: no quota is per story. Without an
    `execution_id` the per-execution quota is not checked.
    """
    del story_id
    usages = usage_report(
        conn,
        contact_email=contact_email,
        execution_id=execution_id,
        now=_now(now),
        timezone=timezone,
    )
    for quota in usages:
        if kind == "followup" and quota.quota_type.startswith("story_"):
            continue
        if quota.used is not None and quota.used >= quota.limit:
            return QuotaExceeded(quota.quota_type, quota.limit, quota.used, quota.reset_at)
    return None


def reserve(
    conn: Connection[DictRow],
    *,
    kind: SendKind,
    contact_email: str,
    idempotency_key: str,
    thread_id: str | None = None,
    story_id: str | None = None,
    execution_id: str | None = None,
    now: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    recount: bool = False,
) -> int:
    """Reserve one send and return its ledger id, or raise `QuotaExceeded`.

    Idempotent: a key already reserved or sent returns its row without counting again; a
    released key is checked and counted afresh. `recount`: a key only reserved (booked for
    later) is checked afresh as of `now` too, its own reservation set aside; refused, it
    stays reserved as it was (the caller releases it).
    """
    now = _now(now)
    contact = contact_email.strip().lower()
    with conn.transaction():
        conn.execute(_LOCK)
        existing = conn.execute(_FIND, {"key": idempotency_key}).fetchone()
        if existing is not None and (existing["kind"], existing["contact_email"]) != (
            kind,
            contact,
        ):
            raise LedgerError(
                f"idempotency key {idempotency_key!r} already stands for another send (a "
                "different kind or contact): derive each key from the one send it stands for"
            )
        if recount and existing is not None and existing["status"] == "reserved":
            # Undone with the rest of this transaction when the check below refuses.
            conn.execute(_RELEASE, {"key": idempotency_key, "now": now})
            existing = {**existing, "status": "released"}
        if existing is not None and existing["status"] != "released":
            return int(existing["id"])
        refusal = check_quota(
            conn,
            kind=kind,
            contact_email=contact,
            execution_id=execution_id,
            now=now,
            timezone=timezone,
        )
        if refusal is not None:
            raise refusal
        params = {
            "key": idempotency_key,
            "kind": kind,
            "contact": contact,
            "thread_id": thread_id,
            "story_id": story_id,
            "execution_id": execution_id,
            "now": now,
        }
        if existing is not None:
            conn.execute(_REVIVE, {**params, "id": existing["id"]})
            return int(existing["id"])
        row = conn.execute(_INSERT, params).fetchone()
        assert row is not None
        return int(row["id"])


def mark_sent(
    conn: Connection[DictRow], *, idempotency_key: str, now: datetime | None = None
) -> None:
    """Record that the reserved send went out (again: a no-op); it keeps counting."""
    with conn.transaction():
        if conn.execute(_MARK_SENT, {"key": idempotency_key, "now": _now(now)}).fetchone():
            return
        row = conn.execute(_FIND, {"key": idempotency_key}).fetchone()
    if row is None:
        raise LedgerError(f"no send is reserved under {idempotency_key!r}: reserve it first")
    if row["status"] == "released":
        raise LedgerError(
            f"the reservation {idempotency_key!r} was released: reserve it again before sending"
        )


def release(
    conn: Connection[DictRow], *, idempotency_key: str, now: datetime | None = None
) -> bool:
    """Give back a reservation that will not be sent; False when nothing was reserved.

    A sent row stays counted: the email went out.
    """
    with conn.transaction():
        if conn.execute(_RELEASE, {"key": idempotency_key, "now": _now(now)}).fetchone():
            return True
        row = conn.execute(_FIND, {"key": idempotency_key}).fetchone()
    if row is not None and row["status"] == "sent":
        raise LedgerError(
            f"{idempotency_key!r} was sent and keeps counting; "
            "`sales-agent admin quotas reset --reason R` clears every quota"
        )
    return False


def quota_status(
    conn: Connection[DictRow],
    *,
    contact_email: str | None = None,
    execution_id: str | None = None,
    now: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> list[QuotaUsage]:
    """Every quota now, narrowest first; contact and execution quotas need their subject."""
    return usage_report(
        conn,
        contact_email=contact_email,
        execution_id=execution_id,
        now=_now(now),
        timezone=timezone,
    )


def reset_quotas(
    conn: Connection[DictRow],
    *,
    actor: str,
    reason: str,
    now: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> int:
    """Zero every quota: release every ledger row that counts now; returns how many.

    That is each reserved or sent row reserved since the start of the longest current
    window (this ISO week or the last 14 days, whichever began first), and each story row
    of an execution. Sent rows keep their `sent_at`, so the record of what went out stays.
    Audited as `quotas_reset` with the count, under the reservation lock.
    """
    now = _now(now)
    with conn.transaction():
        conn.execute(_LOCK)
        since = windows_at(now, timezone).earliest
        released = conn.execute(_RESET, {"now": now, "since": since}).rowcount
        record_change(
            conn,
            actor=actor,
            action="quotas_reset",
            reason=reason,
            metadata={"released": released, "since": since.isoformat()},
        )
    return released
