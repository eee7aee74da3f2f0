"""The api_keys table: API keys with a role, stored as a hash; the key itself is shown once.

A key reads `sa_<prefix>_<secret>`: the 12-hex-digit prefix finds the row (and names the key
in listings and audit), the hash of the whole key proves it. The secret is 256 random bits,
so a fast SHA-256 is the right hash: a slow password hash (bcrypt, argon2) protects guessable
secrets and would add nothing here but a cost to every request; `hmac.compare_digest`
keeps the comparison constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from typing import Literal, get_args

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

from sales_agent.errors import SalesAgentError
from sales_agent.policy.audit import record_event

__all__ = [
    "ROLES",
    "ApiKey",
    "ApiKeyError",
    "NewApiKey",
    "Role",
    "create_api_key",
    "find_by_prefix",
    "hash_key",
    "list_api_keys",
    "revoke_api_key",
    "rotate_api_key",
    "split_key",
    "touch_api_key",
    "verify_key",
]

Role = Literal["operator", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
_KEY_PREFIX = "sa_"

_COLUMNS = (
    "id::text AS id, name, role, prefix, key_hash, created_at, created_by, last_used_at,"
    " revoked_at, expires_at"
)
_INSERT = f"""
INSERT INTO api_keys (name, role, prefix, key_hash, created_by, expires_at)
VALUES (%(name)s, %(role)s, %(prefix)s, %(key_hash)s, %(created_by)s,
        now() + make_interval(days => %(days)s))
RETURNING {_COLUMNS}
"""
# A rotated key keeps working for the grace period, so its users can switch without a gap.
_RETIRE = f"""
UPDATE api_keys SET expires_at = least(coalesce(expires_at, 'infinity'),
                                       now() + make_interval(hours => %(hours)s))
WHERE prefix = %(prefix)s AND revoked_at IS NULL
RETURNING {_COLUMNS}
"""
_BY_PREFIX = f"SELECT {_COLUMNS} FROM api_keys WHERE prefix = %(prefix)s"
_LIST = f"SELECT {_COLUMNS} FROM api_keys ORDER BY created_at, prefix"
_REVOKE = f"""
UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
WHERE prefix = %(prefix)s
RETURNING {_COLUMNS}
"""
# At most one write a minute per key: "last used" is for people, not an access log.
_TOUCH = """
UPDATE api_keys SET last_used_at = now()
WHERE id = %(id)s AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
"""


class ApiKeyError(SalesAgentError):
    """A key operation got something it cannot use; the message says what to pass."""

    code = "api_key_error"


class ApiKey(BaseModel):
    """One key as stored (never the key itself)."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    role: Role
    prefix: str
    key_hash: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None

    @property
    def active(self) -> bool:
        """Whether the key still opens the API: not revoked, not expired."""
        expired = self.expires_at is not None and self.expires_at <= datetime.now(UTC)
        return self.revoked_at is None and not expired


class NewApiKey(BaseModel):
    """A key just created: `key` is the only copy of the secret there will ever be."""

    key: str
    record: ApiKey


def hash_key(key: str) -> str:
    """The stored form of `key`: hex SHA-256."""
    return hashlib.sha256(key.encode()).hexdigest()


def split_key(key: str) -> str | None:
    """The prefix of a well-formed key, or None for anything that cannot be one of ours."""
    if not key.startswith(_KEY_PREFIX):
        return None
    prefix, _, secret = key[len(_KEY_PREFIX) :].partition("_")
    if len(prefix) != 12 or not secret or any(c not in "0123456789abcdef" for c in prefix):
        return None
    return prefix


def verify_key(record: ApiKey, key: str) -> bool:
    """Whether `key` is the one `record` was made from (constant-time)."""
    return hmac.compare_digest(record.key_hash, hash_key(key))


def create_api_key(
    conn: Connection[DictRow],
    *,
    role: str,
    name: str,
    actor: str,
    expires_in_days: int | None = None,
) -> NewApiKey:
    """Make a key for `role`, store its hash, audit `api_key_created`, return the key once.

    With `expires_in_days`, the key stops working that many days from now.
    """
    if expires_in_days is not None and expires_in_days < 1:
        raise ApiKeyError(f"a key expires at least a day after it is made, not {expires_in_days}")
    if role not in ROLES:
        raise ApiKeyError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if not name.strip():
        raise ApiKeyError("a key needs a name (who or what uses it): pass --name")
    prefix = secrets.token_hex(6)
    key = f"{_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with conn.transaction():
        row = conn.execute(
            _INSERT,
            {
                "name": name.strip(),
                "role": role,
                "prefix": prefix,
                "key_hash": hash_key(key),
                "created_by": actor,
                "days": expires_in_days,
            },
        ).fetchone()
        assert row is not None
        record_event(
            conn,
            actor=actor,
            action="api_key_created",
            reason=f"new {role} key",
            metadata={
                "prefix": prefix,
                "role": role,
                "name": name.strip(),
                "expires_in_days": expires_in_days,
            },
        )
    return NewApiKey(key=key, record=ApiKey.model_validate(row))


def rotate_api_key(
    conn: Connection[DictRow],
    *,
    prefix: str,
    actor: str,
    reason: str,
    grace_hours: int = 0,
    expires_in_days: int | None = None,
) -> NewApiKey:
    """A new key with the old one's name and role; the old one ends after `grace_hours`.

    One transaction, audited `api_key_rotated`; the new key is returned once, as at creation.
    """
    if grace_hours < 0:
        raise ApiKeyError(f"the grace period is hours from now (0 or more), not {grace_hours}")
    with conn.transaction():
        row = conn.execute(
            _RETIRE, {"prefix": prefix.strip().lower(), "hours": grace_hours}
        ).fetchone()
        if row is None:
            raise ApiKeyError(
                f"no active API key with prefix {prefix!r}: "
                "`sales-agent admin list-keys` shows them"
            )
        old = ApiKey.model_validate(row)
        new = create_api_key(
            conn, role=old.role, name=old.name, actor=actor, expires_in_days=expires_in_days
        )
        record_event(
            conn,
            actor=actor,
            action="api_key_rotated",
            reason=reason,
            metadata={
                "old_prefix": old.prefix,
                "new_prefix": new.record.prefix,
                "grace_hours": grace_hours,
            },
        )
    return new


def find_by_prefix(conn: Connection[DictRow], prefix: str) -> ApiKey | None:
    """The key with `prefix`, revoked or not; None when there is none."""
    row = conn.execute(_BY_PREFIX, {"prefix": prefix}).fetchone()
    return None if row is None else ApiKey.model_validate(row)


def list_api_keys(conn: Connection[DictRow]) -> list[ApiKey]:
    """Every key, oldest first, revoked ones included."""
    return [ApiKey.model_validate(row) for row in conn.execute(_LIST).fetchall()]


def revoke_api_key(conn: Connection[DictRow], *, prefix: str, actor: str, reason: str) -> ApiKey:
    """Revoke the key with `prefix` at once (again: no change), audited `api_key_revoked`."""
    with conn.transaction():
        row = conn.execute(_REVOKE, {"prefix": prefix.strip().lower()}).fetchone()
        if row is None:
            raise ApiKeyError(
                f"no API key with prefix {prefix!r}: `sales-agent admin list-keys` shows them"
            )
        key = ApiKey.model_validate(row)
        record_event(
            conn,
            actor=actor,
            action="api_key_revoked",
            reason=reason,
            metadata={"prefix": key.prefix, "role": key.role, "name": key.name},
        )
    return key


def touch_api_key(conn: Connection[DictRow], key_id: str) -> None:
    """Note that the key was just used (written at most once a minute)."""
    conn.execute(_TOUCH, {"id": key_id})
