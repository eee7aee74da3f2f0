"""One-click unsubscribe links (RFC 8058): signed, expiring, naming the lead and the draft.

A link's token is `payload.signature`, both base64url: the payload is JSON with the
address (`e`), the follow-up thread (`t`), the draft version (`v`) and the expiry (`x`, epoch
seconds); the signature is HMAC-SHA256 under `SALES_AGENT_SECRET_KEY`. Only a valid, unexpired
token acts, so a forged or guessed link can never suppress anyone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.config import Settings
from sales_agent.db.email_events import record_email_event
from sales_agent.errors import ConfigError, SalesAgentError
from sales_agent.policy.audit import record_event
from sales_agent.policy.suppression import SuppressionReason, suppress

__all__ = [
    "UnsubscribeLinkError",
    "UnsubscribeRequest",
    "apply_unsubscribe",
    "read_token",
    "signing_keys",
    "unsubscribe_token",
    "unsubscribe_url",
]

# Sandbox mail never leaves the machine, so links there need no configured key.
_SANDBOX_KEY = b"sales-agent sandbox unsubscribe links"


class UnsubscribeLinkError(SalesAgentError):
    """The link is malformed, forged or expired; nothing was changed."""

    code = "invalid_unsubscribe_link"


@dataclass(frozen=True)
class UnsubscribeRequest:
    """Who a valid link unsubscribes, and from which draft's message."""

    email: str
    thread_id: str
    version: int


def signing_keys(settings: Settings) -> tuple[bytes, ...]:
    """The keys links are checked against, newest (the signing one) first.

    They are `SALES_AGENT_SECRET_KEY`'s comma-separated keys, so a rotation that puts a new
    key first keeps every link already sent working while the old key stays listed.
    Sandbox only: a fixed key when none is configured.
    """
    if settings.secret_key is not None:
        raw = settings.secret_key.get_secret_value()
        keys = tuple(key.strip().encode() for key in raw.split(",") if key.strip())
        if keys:
            return keys
    if settings.uses_real_google:
        raise ConfigError(
            "SALES_AGENT_SECRET_KEY is not set: it signs the unsubscribe link every sent "
            "message carries. Set it to a long random value, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return (_SANDBOX_KEY,)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def unsubscribe_token(
    settings: Settings, *, email: str, thread_id: str, version: int, now: datetime
) -> str:
    """A token for `email`'s message of draft `version` on `thread_id`, valid for N days."""
    expires = now + timedelta(days=settings.unsubscribe_link_days)
    body = {"e": email.lower(), "t": thread_id, "v": version, "x": int(expires.timestamp())}
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    return f"{payload}.{_signature(signing_keys(settings)[0], payload)}"


def unsubscribe_url(settings: Settings, token: str) -> str:
    """The server's one-click link for `token`."""
    return f"{settings.public_url.rstrip('/')}/unsubscribe?token={quote(token)}"


def read_token(
    settings: Settings, token: str, *, now: datetime | None = None
) -> UnsubscribeRequest:
    """What a token asks for; `UnsubscribeLinkError` unless it is signed by us and unexpired."""
    payload, _, signature = token.partition(".")
    # Compared as bytes: compare_digest refuses str with characters beyond ASCII.
    if not signature or not any(
        hmac.compare_digest(signature.encode(), _signature(key, payload).encode())
        for key in signing_keys(settings)
    ):
        raise UnsubscribeLinkError("this unsubscribe link is not valid (it was altered or cut)")
    try:
        body = json.loads(_unb64(payload))
        request = UnsubscribeRequest(
            email=str(body["e"]), thread_id=str(body["t"]), version=int(body["v"])
        )
        expires = datetime.fromtimestamp(int(body["x"]), UTC)
    except (ValueError, KeyError, TypeError, OverflowError, OSError) as exc:
        raise UnsubscribeLinkError("this unsubscribe link is not valid") from exc
    if (now or datetime.now(UTC)) >= expires:
        raise UnsubscribeLinkError(
            "this unsubscribe link has expired: reply to the message asking to be removed"
        )
    return request


_DRAFT = """
SELECT d.id,
       (SELECT a.company_id FROM audit_log a WHERE a.thread_id = d.thread_id
          AND a.company_id IS NOT NULL ORDER BY a.id DESC LIMIT 1) AS company_id
FROM drafts d WHERE d.thread_id = %(thread_id)s AND d.revision = %(version)s
"""


def apply_unsubscribe(
    conn: Connection[DictRow], request: UnsubscribeRequest, *, now: datetime
) -> bool:
    """Suppress the address (OPT_OUT) and record the event; False when already recorded.

    A repeated click renews nothing and records nothing new; the audit trail shows the
    suppression (`suppressed`) and the link's use (`unsubscribed`).
    """
    with conn.transaction():
        draft = conn.execute(
            _DRAFT, {"thread_id": request.thread_id, "version": request.version}
        ).fetchone()
        new = record_email_event(
            conn,
            event_key=f"unsubscribed:{request.thread_id}:{request.version}:{request.email}",
            kind="unsubscribed",
            occurred_at=now,
            source="unsubscribe_link",
            draft_id=str(draft["id"]) if draft else None,
            thread_id=request.thread_id,
            contact_email=request.email,
            company_id=draft["company_id"] if draft else None,
        )
        if not new:
            return False
        suppress(
            conn,
            value=request.email,
            kind="email",
            reason=SuppressionReason.OPT_OUT,
            actor="recipient",
            source="one-click unsubscribe link",
            thread_id=request.thread_id,
            now=now,
        )
        record_event(
            conn,
            actor="recipient",
            action="unsubscribed",
            thread_id=request.thread_id,
            draft_id=str(draft["id"]) if draft else None,
            contact_email=request.email,
            company_id=draft["company_id"] if draft else None,
            reason="one-click unsubscribe (RFC 8058)",
        )
    return True
