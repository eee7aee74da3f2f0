"""Which routes need which role, key parsing, and the rate-limit budgets."""

from __future__ import annotations

import pytest

from sales_agent.policy.api_keys import hash_key, split_key
from sales_agent.server.auth import ADMIN_PREFIX, required_role
from sales_agent.server.credentials import parse_session_cookie
from sales_agent.server.rate_limit import (
    ADMIN_WRITES,
    APPROVALS,
    AUTH_FAILURES,
    AUTH_FAILURES_PER_ADDRESS,
    RateLimits,
)


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("GET", "/health", None),
        ("GET", "/ready", None),
        ("POST", "/webhooks/hubspot", None),
        ("POST", "/webhooks/gmail", None),
        ("POST", "/webhooks/other", "operator"),  # only the signed webhooks are open
        ("POST", "/api/session", None),
        ("DELETE", "/api/session", None),
        ("GET", "/api/session", "operator"),
        ("GET", "/inbox", None),
        ("GET", "/inbox/static/app.js", None),
        ("POST", "/inbox", "operator"),
        ("GET", "/inboxes", "operator"),
        ("GET", "/metrics", "operator"),
        ("GET", "/openapi.json", "operator"),
        ("POST", "/threads", "operator"),
        ("POST", "/api/drafts/abc/approve", "operator"),
        ("GET", "/api/admin/mode", "operator"),
        ("HEAD", "/api/admin/mode/", "operator"),
        ("PUT", "/api/admin/mode", "admin"),
        ("GET", "/api/admin/config", "admin"),
        ("GET", "/api/admin", "admin"),
        ("GET", "/api/admin/modes", "admin"),
        ("GET", "/api/config/mode", "operator"),  # the spec's paths (server/spec_routes.py)
        ("GET", "/api/quotas/status", "operator"),
        ("GET", "/api/guardrails/check-contact", "operator"),
        ("GET", "/api/audit", "admin"),
        ("GET", "/api/audit/", "admin"),
        ("GET", "/api/audit/export", "admin"),
    ],
)
def test_required_role(method: str, path: str, role: str | None) -> None:
    assert required_role(method, path) == role


def test_split_key_accepts_only_our_shape() -> None:
    assert split_key("sa_0123456789ab_secret") == "0123456789ab"
    for bad in (
        "",
        "sa_",
        "sa_0123456789ab_",
        "sa_0123456789AB_s",
        "xx_0123456789ab_s",
        "sa_012_s",
    ):
        assert split_key(bad) is None, bad
    assert hash_key("k") == hash_key("k") != hash_key("k2")


def test_failed_sign_ins_block_a_key_at_an_address_until_the_window_frees() -> None:
    limits = RateLimits(admin_prefix=ADMIN_PREFIX)
    for _ in range(AUTH_FAILURES.amount):
        assert limits.guessing_blocked("10.0.0.1", "0123456789ab") is None
        limits.record_failure("10.0.0.1", "0123456789ab")
    verdict = limits.guessing_blocked("10.0.0.1", "0123456789ab")
    assert verdict is not None and verdict.budget == "auth_failures"
    assert 1 <= verdict.retry_after <= 60
    assert limits.guessing_blocked("10.0.0.2", "0123456789ab") is None
    # Another key's holder at the same address signs in.
    assert limits.guessing_blocked("10.0.0.1", "ba9876543210") is None


def test_an_address_spraying_many_prefixes_hits_its_own_ceiling() -> None:
    limits = RateLimits(admin_prefix=ADMIN_PREFIX)
    for attempt in range(AUTH_FAILURES_PER_ADDRESS.amount):
        prefix = f"{attempt:012x}"
        assert limits.guessing_blocked("10.0.0.3", prefix) is None
        limits.record_failure("10.0.0.3", prefix)
    assert AUTH_FAILURES_PER_ADDRESS.amount >= 10 * AUTH_FAILURES.amount
    verdict = limits.guessing_blocked("10.0.0.3", "ffffffffffff")
    assert verdict is not None and verdict.budget == "auth_failures"
    # Malformed credentials (no prefix) share one budget per address.
    for _ in range(AUTH_FAILURES.amount):
        limits.record_failure("10.0.0.4", None)
    assert limits.guessing_blocked("10.0.0.4", None) is not None
    assert limits.guessing_blocked("10.0.0.4", "0123456789ab") is None


@pytest.mark.parametrize(
    ("method", "path", "budget", "amount"),
    [
        ("PUT", "/api/admin/mode", "admin_writes", ADMIN_WRITES.amount),
        ("POST", "/api/drafts/7f0c/approve", "approvals", APPROVALS.amount),
        ("POST", "/api/drafts/7f0c/respond", "approvals", APPROVALS.amount),
    ],
)
def test_sensitive_routes_spend_a_per_key_budget(
    method: str, path: str, budget: str, amount: int
) -> None:
    limits = RateLimits(admin_prefix=ADMIN_PREFIX)
    for _ in range(amount):
        assert limits.spend(method, path, "key-1") is None
    verdict = limits.spend(method, path, "key-1")
    assert verdict is not None and verdict.budget == budget
    assert limits.spend(method, path, "key-2") is None  # per key


def test_reads_and_other_routes_spend_nothing() -> None:
    limits = RateLimits(admin_prefix=ADMIN_PREFIX)
    for method, path in (
        ("GET", "/api/admin/audit"),
        ("GET", "/api/drafts/x"),
        ("POST", "/threads"),
    ):
        assert limits.budget_for(method, path) is None


SIGNATURE = "A" * 43


@pytest.mark.parametrize(
    "value",
    [
        f"0123456789ab.\u00b2\u00b3.{SIGNATURE}",  # superscripts: str.isdigit() is True
        f"0123456789ab.{'9' * 5000}.{SIGNATURE}",  # more digits than int() takes
        f"0123456789ab.{'9' * 13}.{SIGNATURE}",
        f"0123456789ab.1700000000.{chr(233) * 43}",  # non-ASCII: compare_digest raises
        f"0123456789ab.1700000000.{SIGNATURE}=",
        f"0123456789AB.1700000000.{SIGNATURE}",
        f"0123456789ab.-1.{SIGNATURE}",
        f"0123456789ab.1700000000.{SIGNATURE}\n",
        "0123456789ab..",
        "",
    ],
)
def test_a_malformed_session_cookie_parses_to_nothing(value: str) -> None:
    assert parse_session_cookie(value) is None


def test_a_well_formed_session_cookie_parses() -> None:
    assert parse_session_cookie(f"0123456789ab.1700000000.{SIGNATURE}") == (
        "0123456789ab",
        1_700_000_000,
        SIGNATURE,
    )
