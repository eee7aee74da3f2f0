"""The suppression list: addresses and company domains the agent must never write to.

An entry lasts a year from its creation and suppressing the same value again renews it for
a year from then. A domain entry covers every address at that domain and at its subdomains
(`acme.example` covers `bob@mail.acme.example`). Every change is audited in the transaction
that makes it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

from sales_agent.errors import SalesAgentError
from sales_agent.policy.audit import record_event

__all__ = [
    "Suppression",
    "SuppressionError",
    "SuppressionKind",
    "SuppressionNotFoundError",
    "SuppressionReason",
    "is_suppressed",
    "kind_of",
    "list_suppressions",
    "suppress",
    "suppress_erased",
    "suppressed_among",
    "unsuppress",
]

SuppressionKind = Literal["email", "domain", "erased"]
"""`erased`: the keyed hash of an address whose owner had their data erased (never lifted)."""


class SuppressionReason(enum.StrEnum):
    """Why a value is suppressed."""

    OPT_OUT = "OPT_OUT"
    BOUNCED = "BOUNCED"
    COMPLAINT = "COMPLAINT"
    MANUAL = "MANUAL"


# Weakest first: a renewal never weakens an entry (an opt-out is the person's own word).
_STRENGTH = (
    SuppressionReason.MANUAL,
    SuppressionReason.BOUNCED,
    SuppressionReason.COMPLAINT,
    SuppressionReason.OPT_OUT,
)


class SuppressionError(SalesAgentError):
    """A value that cannot be suppressed or looked up; the message says what to pass."""

    code = "suppression_error"


class SuppressionNotFoundError(SuppressionError):
    """Nothing is suppressed under the given value."""

    code = "suppression_not_found"


class Suppression(BaseModel):
    """One entry of the suppression list, as stored."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: SuppressionKind
    value: str
    reason: SuppressionReason
    source: str
    created_at: datetime
    created_by: str
    renewed_at: datetime | None
    expires_at: datetime


_COLUMNS = "id, kind, value, reason, source, created_at, created_by, renewed_at, expires_at"
# A renewal keeps the stronger reason (an opt-out stays an opt-out when a bounce renews it),
# unless the entry had expired: then the new reason and source replace the old ones.
_REPLACES_REASON = """(suppressions.expires_at <= %(now)s
    OR array_position(%(ranks)s::text[], EXCLUDED.reason)
       > array_position(%(ranks)s::text[], suppressions.reason))"""
# `xmax = 0` only on a freshly inserted row: it tells a new entry from a renewal.
_UPSERT = f"""
INSERT INTO suppressions (kind, value, reason, source, created_at, created_by, expires_at)
VALUES (%(kind)s, %(value)s, %(reason)s, %(source)s, %(now)s, %(actor)s,
        %(now)s + interval '1 year')
ON CONFLICT (kind, value) DO UPDATE SET
    reason = CASE WHEN {_REPLACES_REASON} THEN EXCLUDED.reason ELSE suppressions.reason END,
    source = CASE WHEN {_REPLACES_REASON} THEN EXCLUDED.source ELSE suppressions.source END,
    renewed_at = %(now)s,
    expires_at = %(now)s + interval '1 year'
RETURNING {_COLUMNS}, (xmax = 0) AS inserted
"""
_ENTRY_COLUMNS = ", ".join(f"s.{name}" for name in _COLUMNS.split(", "))
# Per address, its live entries: its own, its erased hash's, and its domain's and every
# parent domain's (`a@mail.acme.example` matches `acme.example`), each an index lookup; the
# address's own entry first, as it says more about this person than their domain's does.
# The keyed hash is computed only when some address was erased (a check run once).
_MATCH = f"""
WITH addresses AS (
    SELECT address,
           CASE WHEN EXISTS (SELECT FROM suppressions WHERE kind = 'erased')
                THEN erased_address_hash(address) END AS erased,
           string_to_array(split_part(address, '@', 2), '.') AS labels
    FROM unnest(%(emails)s::text[]) AS address
), keys AS (
    SELECT address, 'email' AS kind, address AS value FROM addresses
    UNION ALL
    SELECT address, 'erased', erased FROM addresses WHERE erased IS NOT NULL
    UNION ALL
    SELECT address, 'domain', array_to_string(labels[i:], '.')
    FROM addresses, generate_series(1, cardinality(labels) - 1) AS i
)
SELECT DISTINCT ON (keys.address) keys.address, {_ENTRY_COLUMNS}
FROM keys JOIN suppressions s ON s.kind = keys.kind AND s.value = keys.value
WHERE s.expires_at > %(now)s
ORDER BY keys.address, s.kind = 'domain', s.expires_at DESC
"""
_LIST = f"""
SELECT {_COLUMNS} FROM suppressions
WHERE %(include_expired)s OR expires_at > %(now)s
ORDER BY value, kind
"""
_DELETE = (
    f"DELETE FROM suppressions WHERE kind = %(kind)s AND value = %(value)s RETURNING {_COLUMNS}"
)


def kind_of(value: str) -> SuppressionKind:
    """`email` for a value with an `@`, else `domain`."""
    return "email" if "@" in value else "domain"


def _normalise(value: str, kind: SuppressionKind) -> str:
    value = value.strip().lower()
    if kind == "email":
        local, at, domain = value.partition("@")
        if not (local and at and domain and "@" not in domain):
            raise SuppressionError(f"{value!r} is not an email address: pass name@domain")
    elif not value or "@" in value or "." not in value or value.startswith("."):
        raise SuppressionError(f"{value!r} is not a domain: pass one like example.com")
    return value


def _now(now: datetime | None) -> datetime:
    if now is not None and now.tzinfo is None:
        raise SuppressionError("'now' needs a time zone (e.g. datetime.now(UTC))")
    return now or datetime.now(UTC)


def is_suppressed(
    conn: Connection[DictRow], email: str, *, now: datetime | None = None
) -> Suppression | None:
    """The live entry that suppresses `email` (its own or its domain's), or None."""
    address = _normalise(email, "email")
    return suppressed_among(conn, [address], now=now).get(address)


def suppressed_among(
    conn: Connection[DictRow], emails: Sequence[str], *, now: datetime | None = None
) -> dict[str, Suppression]:
    """Of `emails` (lower case), those suppressed, each with its entry: one query for all."""
    rows = conn.execute(_MATCH, {"emails": list(emails), "now": _now(now)}).fetchall()
    return {row.pop("address"): Suppression.model_validate(row) for row in rows}


def suppress(
    conn: Connection[DictRow],
    *,
    value: str,
    kind: SuppressionKind,
    reason: SuppressionReason,
    actor: str,
    source: str = "",
    thread_id: str | None = None,
    now: datetime | None = None,
) -> Suppression:
    """Suppress `value` for a year, or renew its entry; audited as `suppressed` or renewed.

    Renewing moves the expiry to a year from now and keeps the stronger of the two reasons.
    """
    value = _normalise(value, kind)
    reason = SuppressionReason(reason)
    with conn.transaction():
        row = conn.execute(
            _UPSERT,
            {
                "kind": kind,
                "value": value,
                "reason": reason.value,
                "source": source,
                "actor": actor,
                "now": _now(now),
                "ranks": [r.value for r in _STRENGTH],
            },
        ).fetchone()
        assert row is not None
        entry = Suppression.model_validate(row)
        record_event(
            conn,
            actor=actor,
            action="suppressed" if row["inserted"] else "suppression_renewed",
            thread_id=thread_id,
            contact_email=value if kind == "email" else None,
            reason=reason.value,
            metadata={
                "kind": kind,
                "value": value,
                "source": source,
                "kept_reason": entry.reason.value,
                "expires_at": entry.expires_at.isoformat(),
            },
        )
    return entry


_ERASE_ENTRY = "DELETE FROM suppressions WHERE kind = 'email' AND value = %(email)s"
# For good: an erased person asked to be forgotten, which no renewal or expiry may undo.
_SUPPRESS_ERASED = f"""
INSERT INTO suppressions (kind, value, reason, source, created_by, expires_at)
VALUES ('erased', erased_address_hash(%(email)s), 'OPT_OUT', 'erasure', %(actor)s,
        '9999-12-31T00:00:00Z')
ON CONFLICT (kind, value) DO UPDATE SET renewed_at = now()
RETURNING {_COLUMNS}
"""


def suppress_erased(conn: Connection[DictRow], *, email: str, actor: str) -> Suppression:
    """Replace an address's own entry by its keyed hash, suppressed for good.

    Not audited here: the erasure that calls it is, in the same transaction.
    """
    address = _normalise(email, "email")
    with conn.transaction():
        conn.execute(_ERASE_ENTRY, {"email": address})
        row = conn.execute(_SUPPRESS_ERASED, {"email": address, "actor": actor}).fetchone()
    assert row is not None
    return Suppression.model_validate(row)


def unsuppress(conn: Connection[DictRow], *, value: str, actor: str, reason: str) -> Suppression:
    """Remove the entry for `value` (an email or a domain) and return it; audited."""
    if not reason.strip():
        raise SuppressionError("removing a suppression needs a reason for the audit log")
    kind = kind_of(value)
    value = _normalise(value, kind)
    with conn.transaction():
        row = conn.execute(_DELETE, {"kind": kind, "value": value}).fetchone()
        if row is None:
            raise SuppressionNotFoundError(
                f"{value!r} is not on the suppression list: "
                "`sales-agent admin suppression list` shows what is"
            )
        entry = Suppression.model_validate(row)
        record_event(
            conn,
            actor=actor,
            action="unsuppressed",
            contact_email=value if kind == "email" else None,
            reason=reason.strip(),
            metadata={"kind": kind, "value": value, "was": entry.reason.value},
        )
    return entry


def list_suppressions(
    conn: Connection[DictRow], *, include_expired: bool = False, now: datetime | None = None
) -> list[Suppression]:
    """Every live entry (expired ones too when asked), by value."""
    rows = conn.execute(_LIST, {"include_expired": include_expired, "now": _now(now)})
    return [Suppression.model_validate(row) for row in rows]
