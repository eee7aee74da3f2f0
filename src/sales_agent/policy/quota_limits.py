"""The send limits: defaults from the spec, overridden by what an operator stored.

The limits live in `runtime_settings` under `quota_limits`, so every process counts against
the same numbers; a change is audited (`quota_limits_changed`) in the transaction that makes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sales_agent.db.runtime_settings import get_setting, lock_setting, put_setting
from sales_agent.errors import SalesAgentError
from sales_agent.policy.audit import record_change

__all__ = [
    "QUOTA_TYPES",
    "QuotaLimits",
    "QuotaLimitsError",
    "QuotaType",
    "load_limits",
    "set_limits",
    "update_limits",
]

QuotaType = Literal[
    "contact_7_days",
    "contact_weekly",
    "story_contact_14_days",
    "story_execution",
    "story_daily",
    "global_daily",
    "global_weekly",
]
# The order a refusal is looked for: the narrowest quota first, since it names the reason
# closest to this one send.
QUOTA_TYPES: tuple[QuotaType, ...] = (
    "contact_7_days",
    "contact_weekly",
    "story_contact_14_days",
    "story_execution",
    "story_daily",
    "global_daily",
    "global_weekly",
)

_KEY = "quota_limits"


class QuotaLimitsError(SalesAgentError):
    """Quota limits that cannot be used; the message names each bad value."""

    code = "quota_limits_invalid"


class QuotaLimits(BaseModel):
    """How many sends each quota allows; 0 stops that kind of send.

    Days and weeks are the operator's calendar days and ISO weeks; a quota counts every kind
    of send unless its name says stories.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    global_daily: int = Field(default=50, ge=0, description="Sends per calendar day.")
    global_weekly: int = Field(default=200, ge=0, description="Sends per ISO week.")
    contact_7_days: int = Field(
        default=1, ge=0, description="Sends to one contact, rolling 7 days."
    )
    contact_weekly: int = Field(default=2, ge=0, description="Sends to one contact per ISO week.")
    story_daily: int = Field(default=20, ge=0, description="Story pitches per calendar day.")
    story_contact_14_days: int = Field(
        default=1, ge=0, description="Story pitches to one contact, rolling 14 days."
    )
    story_execution: int = Field(default=50, ge=0, description="Story pitches per execution.")


def _stored(value: Any) -> dict[str, Any]:
    return {} if value is None else dict(value)


def _validated(values: Mapping[str, Any]) -> QuotaLimits:
    try:
        return QuotaLimits.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc']))}: {error['msg']}" for error in exc.errors()
        )
        raise QuotaLimitsError(
            f"invalid quota limits ({problems}): each known limit takes a whole number of 0 or "
            "more, set with `sales-agent admin quotas set-limits --NAME N --reason R`"
        ) from None


def load_limits(conn: Connection[DictRow]) -> QuotaLimits:
    """The limits in force: the stored overrides over the defaults."""
    return _validated(_stored(get_setting(conn, _KEY)))


def set_limits(
    conn: Connection[DictRow], *, limits: QuotaLimits, actor: str, reason: str
) -> QuotaLimits:
    """Store `limits` for every process, audited with the old and new values; returns them."""
    with conn.transaction():
        # The raw stored value, not a validated one: an invalid value must stay fixable.
        before = {**QuotaLimits().model_dump(), **_stored(lock_setting(conn, _KEY))}
        put_setting(conn, key=_KEY, value=limits.model_dump(), actor=actor)
        record_change(
            conn,
            actor=actor,
            action="quota_limits_changed",
            reason=reason,
            metadata={"from": before, "to": limits.model_dump()},
        )
    return limits


def update_limits(
    conn: Connection[DictRow], *, changes: Mapping[str, int], actor: str, reason: str
) -> QuotaLimits:
    """Change the named limits, keep the others; stored and audited as `set_limits` does."""
    with conn.transaction():
        # Merged under the row lock, so two operators' changes both survive.
        limits = _validated({**_stored(lock_setting(conn, _KEY)), **changes})
        return set_limits(conn, limits=limits, actor=actor, reason=reason)
