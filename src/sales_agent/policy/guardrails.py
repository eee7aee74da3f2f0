"""Guardrails: stored rules on which companies the agent may contact, and the decision.

The rules live in `guardrail_rules`; every change is audited in the transaction that makes
it. The decision itself, `is_allowed`, is pure (see `_guardrail_rules`).
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from sales_agent.policy._guardrail_rules import (
    GuardrailError,
    GuardrailRule,
    RuleType,
    RuleValue,
    check_rule,
    is_allowed,
    normalize_value,
    parse_rule_type,
)
from sales_agent.policy.audit import record_change

__all__ = [
    "GuardrailError",
    "GuardrailRule",
    "RuleType",
    "RuleValue",
    "add_rule",
    "check_rule",
    "is_allowed",
    "list_rules",
    "load_active_rules",
    "normalize_value",
    "parse_rule_type",
    "remove_rule",
    "update_rule",
]

_COLUMNS = "id, rule_type, value, active, description"
_LIST_RULES = f"""
SELECT {_COLUMNS} FROM guardrail_rules
WHERE active OR NOT %(active_only)s
ORDER BY id
"""
_LOCK_RULE = f"SELECT {_COLUMNS} FROM guardrail_rules WHERE id = %(id)s FOR UPDATE"
_INSERT_RULE = f"""
INSERT INTO guardrail_rules (rule_type, value, active, description, created_by)
VALUES (%(rule_type)s, %(value)s, %(active)s, %(description)s, %(actor)s)
RETURNING {_COLUMNS}
"""
_UPDATE_RULE = f"""
UPDATE guardrail_rules
SET value = %(value)s, active = %(active)s, description = %(description)s, updated_at = now()
WHERE id = %(id)s
RETURNING {_COLUMNS}
"""
_DELETE_RULE = f"DELETE FROM guardrail_rules WHERE id = %(id)s RETURNING {_COLUMNS}"


def _audited(rule: GuardrailRule) -> dict[str, Any]:
    return rule.model_dump(mode="json")


def _not_found(rule_id: int) -> GuardrailError:
    return GuardrailError(
        f"there is no guardrail rule {rule_id}; see the ids with `sales-agent admin guardrails`"
    )


def list_rules(conn: Connection[DictRow], *, active_only: bool = False) -> list[GuardrailRule]:
    """Stored rules in id order (inactive ones too unless `active_only`)."""
    rows = conn.execute(_LIST_RULES, {"active_only": active_only})
    return [GuardrailRule.model_validate(row) for row in rows]


def load_active_rules(conn: Connection[DictRow]) -> list[GuardrailRule]:
    """The rules that decide, for `is_allowed`."""
    return list_rules(conn, active_only=True)


def add_rule(
    conn: Connection[DictRow],
    *,
    rule_type: RuleType | str,
    value: Any,
    actor: str,
    reason: str,
    description: str = "",
    active: bool = True,
) -> GuardrailRule:
    """Store a new rule after checking its value; audited as `guardrail_added`."""
    kind = parse_rule_type(rule_type)
    checked = normalize_value(kind, value)
    with conn.transaction():
        row = conn.execute(
            _INSERT_RULE,
            {
                "rule_type": kind.value,
                "value": Jsonb(checked),
                "active": active,
                "description": description,
                "actor": actor,
            },
        ).fetchone()
        assert row is not None
        rule = GuardrailRule.model_validate(row)
        record_change(
            conn, actor=actor, action="guardrail_added", reason=reason, metadata=_audited(rule)
        )
    return rule


def update_rule(
    conn: Connection[DictRow],
    *,
    rule_id: int,
    value: Any = None,
    active: bool | None = None,
    description: str | None = None,
    actor: str,
    reason: str,
) -> GuardrailRule:
    """Change a rule's value, active flag or description (None keeps it); audited."""
    with conn.transaction():
        row = conn.execute(_LOCK_RULE, {"id": rule_id}).fetchone()
        if row is None:
            raise _not_found(rule_id)
        before = GuardrailRule.model_validate(row)
        checked = before.value if value is None else normalize_value(before.rule_type, value)
        row = conn.execute(
            _UPDATE_RULE,
            {
                "id": rule_id,
                "value": Jsonb(checked),
                "active": before.active if active is None else active,
                "description": before.description if description is None else description,
            },
        ).fetchone()
        assert row is not None
        after = GuardrailRule.model_validate(row)
        record_change(
            conn,
            actor=actor,
            action="guardrail_updated",
            reason=reason,
            metadata={"from": _audited(before), "to": _audited(after)},
        )
    return after


def remove_rule(
    conn: Connection[DictRow], *, rule_id: int, actor: str, reason: str
) -> GuardrailRule:
    """Delete a rule and return it; audited as `guardrail_removed` with the rule as it was."""
    with conn.transaction():
        row = conn.execute(_DELETE_RULE, {"id": rule_id}).fetchone()
        if row is None:
            raise _not_found(rule_id)
        rule = GuardrailRule.model_validate(row)
        record_change(
            conn, actor=actor, action="guardrail_removed", reason=reason, metadata=_audited(rule)
        )
    return rule
