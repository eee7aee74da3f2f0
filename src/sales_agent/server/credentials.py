"""What a request presents (a key, or the web page's session cookie) and who it proves.

The session cookie carries `<prefix>.<expires>.<signature>`, never the key: the signature is
an HMAC over the prefix and expiry keyed with the key's stored hash, a secret only the server
holds. So the server verifies a cookie with the same one-row lookup as a key, needs no secret
setting of its own, and revoking the key ends every session made from it at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from typing import Literal

from psycopg import Connection
from psycopg.rows import DictRow
from starlette.requests import HTTPConnection

from sales_agent.policy.api_keys import (
    ApiKey,
    Role,
    find_by_prefix,
    split_key,
    touch_api_key,
    verify_key,
)

__all__ = [
    "SESSION_COOKIE",
    "SESSION_SECONDS",
    "Credential",
    "Principal",
    "authenticate",
    "credential_prefix",
    "parse_session_cookie",
    "presented_credential",
    "resolve_credential",
    "session_cookie_value",
]

SESSION_COOKIE = "sales_agent_session"
SESSION_SECONDS = 12 * 3600
"""A web sign-in lasts a working day; sign in again after."""

_PREFIX = r"(?P<prefix>[0-9a-f]{12})"
# `<prefix>.<expires>.<signature>`: epoch seconds (at most 12 digits, past the year 9999's
# count) and an unpadded urlsafe base64 SHA-256 (43 characters).
_COOKIE = re.compile(rf"{_PREFIX}\.(?P<expires>[0-9]{{1,12}})\.(?P<signature>[A-Za-z0-9_-]{{43}})")
_COOKIE_PREFIX = re.compile(rf"{_PREFIX}\.")


@dataclass(frozen=True)
class Credential:
    """A key from `Authorization: Bearer` or `x-api-key`, or a session cookie's value."""

    kind: Literal["key", "cookie"]
    value: str


@dataclass(frozen=True)
class Principal:
    """The caller a valid credential proves: the key's id, name (the audit actor) and role."""

    key_id: str
    name: str
    role: Role
    prefix: str


def presented_credential(connection: HTTPConnection) -> Credential | None:
    """The request's credential: the Authorization header, else x-api-key, else the cookie.

    An Authorization header in another scheme (Basic, ...) is presented but cannot be ours:
    it comes back as an empty key, which fails verification like any wrong key.
    """
    authorization = connection.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        return Credential("key", token.strip() if scheme.lower() == "bearer" else "")
    api_key = connection.headers.get("x-api-key")
    if api_key is not None:
        return Credential("key", api_key.strip())
    cookie = connection.cookies.get(SESSION_COOKIE)
    return Credential("cookie", cookie) if cookie else None


def _signature(record: ApiKey, expires: int) -> str:
    digest = hmac.new(
        record.key_hash.encode(), f"session:{record.prefix}.{expires}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def session_cookie_value(record: ApiKey, *, now: float | None = None) -> str:
    """A signed session for `record`, valid `SESSION_SECONDS` from `now`."""
    expires = int(now if now is not None else time.time()) + SESSION_SECONDS
    return f"{record.prefix}.{expires}.{_signature(record, expires)}"


def _key_record(conn: Connection[DictRow], key: str) -> ApiKey | None:
    prefix = split_key(key)
    record = None if prefix is None else find_by_prefix(conn, prefix)
    return record if record is not None and verify_key(record, key) else None


def parse_session_cookie(value: str) -> tuple[str, int, str] | None:
    """`(prefix, expires, signature)` of a well-formed session cookie, else None.

    Checked to the character (ASCII digits only, a bounded expiry, the signature's
    alphabet), so that no cookie a client makes up can fail later than here: `str.isdigit`
    accepts "²", `int` refuses 5,000 digits, and `hmac.compare_digest` non-ASCII text.
    """
    match = _COOKIE.fullmatch(value)
    if match is None:
        return None
    return match["prefix"], int(match["expires"]), match["signature"]


def credential_prefix(credential: Credential) -> str | None:
    """The key prefix a credential names (well-formed or not), for counting failures."""
    if credential.kind == "key":
        return split_key(credential.value)
    parsed = _COOKIE_PREFIX.match(credential.value)
    return None if parsed is None else parsed["prefix"]


def _cookie_record(conn: Connection[DictRow], value: str, *, now: float) -> ApiKey | None:
    parsed = parse_session_cookie(value)
    if parsed is None:
        return None
    prefix, expires, signature = parsed
    if expires < now:
        return None
    record = find_by_prefix(conn, prefix)
    if record is None:
        return None
    return record if hmac.compare_digest(signature, _signature(record, expires)) else None


def resolve_credential(conn: Connection[DictRow], credential: Credential) -> ApiKey | None:
    """The active key `credential` proves, or None: unknown, malformed, expired or revoked."""
    if credential.kind == "key":
        record = _key_record(conn, credential.value)
    else:
        record = _cookie_record(conn, credential.value, now=time.time())
    if record is None or not record.active:
        return None
    touch_api_key(conn, record.id)
    return record


def authenticate(conn: Connection[DictRow], credential: Credential) -> Principal | None:
    """Who `credential` proves, or None (see `resolve_credential`)."""
    record = resolve_credential(conn, credential)
    if record is None:
        return None
    return Principal(key_id=record.id, name=record.name, role=record.role, prefix=record.prefix)
