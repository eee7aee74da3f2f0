"""The re-check at the moment of sending, shared by every delivery (follow-ups and stories).

One transaction re-reads the mode, the kill switch and the suppression list and reserves the
quota (the reservation is what makes concurrent sends count correctly).
"""

from __future__ import annotations

from datetime import datetime

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.config import Mode
from sales_agent.policy.mode import current_mode, kill_switch_engaged
from sales_agent.policy.quotas import QuotaExceeded, SendKind, reserve
from sales_agent.policy.suppression import is_suppressed
from sales_agent.services import Services

__all__ = ["send_blocked", "send_refusal"]


def send_blocked(
    conn: Connection[DictRow], *, email: str, now: datetime | None = None
) -> str | None:
    """Why no send may go to `email` now (mode, kill switch, suppression); None: it may."""
    if current_mode(conn) is not Mode.SEND_ALLOWED:
        return "the mode changed to DRAFT_ONLY before sending"
    if kill_switch_engaged(conn):
        return "the kill switch is engaged"
    if (suppression := is_suppressed(conn, email, now=now)) is not None:
        return f"{email} is suppressed ({suppression.reason})"
    return None


def send_refusal(
    services: Services,
    *,
    email: str,
    key: str,
    kind: SendKind,
    thread_id: str,
    story_id: str | None = None,
    execution_id: str | None = None,
    now: datetime | None = None,
    recount: bool = False,
) -> str | None:
    """Why the send may not happen now; None once the quota is reserved for it under `key`.

    `recount`: a reservation made when the send was booked is counted afresh now (see
    `reserve`); on a refusal it is still held, for the caller to release.
    """
    with services.pool.connection() as conn, conn.transaction():
        if (blocked := send_blocked(conn, email=email, now=now)) is not None:
            return blocked
        try:
            reserve(
                conn,
                kind=kind,
                contact_email=email,
                idempotency_key=key,
                thread_id=thread_id,
                story_id=story_id,
                execution_id=execution_id,
                now=now,
                timezone=services.settings.timezone,
                recount=recount,
            )
        except QuotaExceeded as exc:
            return exc.message
    return None
