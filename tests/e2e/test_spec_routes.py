"""The spec's own routes on a live server: each answers what today's route answers, with
the spec's roles (operators read mode, quotas and the guardrail check; audit is admins')."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest

from live_server import live_server, operator_key
from sales_agent.policy.api_keys import create_api_key
from sales_agent.policy.guardrails import add_rule, remove_rule
from sales_agent.sandbox import SEED_LEAD_EMAIL
from sales_agent.services import Services

pytestmark = pytest.mark.slow

NORTHWIND = "2001"  # the seeded lead's company in the sandbox CRM
PRIYA = "1001"


@pytest.fixture(scope="module")
def admin(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with services.pool.connection() as conn:
        key = create_api_key(conn, role="admin", name="spec-tests", actor="tests").key
    with (
        live_server(services, tmp_path_factory.mktemp("spec-routes")) as url,
        httpx.Client(base_url=url, headers={"x-api-key": key}, timeout=60) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def operator(admin: httpx.Client, services: Services) -> Iterator[httpx.Client]:
    headers = {"x-api-key": operator_key(services)}
    with httpx.Client(base_url=admin.base_url, headers=headers, timeout=60) as client:
        yield client


def test_operators_read_the_mode_and_quotas_as_the_admin_routes_answer(
    admin: httpx.Client, operator: httpx.Client
) -> None:
    mode = operator.get("/api/config/mode")
    assert mode.status_code == 200
    assert (
        mode.json()
        == admin.get("/api/admin/mode").json()
        == {
            "mode": "DRAFT_ONLY",
            "kill_switch": False,
        }
    )

    status = operator.get("/api/quotas/status", params={"contact": SEED_LEAD_EMAIL})
    assert status.status_code == 200
    assert (
        status.json() == admin.get("/api/admin/quotas", params={"contact": SEED_LEAD_EMAIL}).json()
    )
    assert {"global_daily", "contact_7_days"} <= {quota["quota_type"] for quota in status.json()}
    assert operator.get("/api/admin/quotas").status_code == 403, "the admin path stays admin's"


def test_audit_is_for_admins_and_answers_as_the_admin_routes(
    admin: httpx.Client, operator: httpx.Client
) -> None:
    admin.post("/api/admin/kill-switch/release", json={"reason": "spec audit"})
    page = admin.get("/api/audit", params={"page_size": 500})
    assert page.status_code == 200
    assert page.json() == admin.get("/api/admin/audit", params={"page_size": 500}).json()
    assert page.json()["events"][-1]["reason"] == "spec audit"

    export = admin.get("/api/audit/export")
    assert export.headers["content-type"].startswith("text/csv")
    assert export.text == admin.get("/api/admin/audit/export").text
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert rows[-1]["reason"] == "spec audit"

    for path in ("/api/audit", "/api/audit/export"):
        refused = operator.get(path)
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden", path


def test_check_contact_by_email_or_id_applies_the_active_rules(
    admin: httpx.Client, operator: httpx.Client, services: Services
) -> None:
    allowed = operator.get("/api/guardrails/check-contact", params={"email": SEED_LEAD_EMAIL})
    assert allowed.status_code == 200, allowed.text
    body = allowed.json()
    assert body["allowed"] is True and body["email"] == SEED_LEAD_EMAIL
    assert (body["contact_id"], body["company_id"]) == (PRIYA, NORTHWIND)
    assert (body["company_name"], body["industry"], body["stage"], body["employees"]) == (
        "Northwind Logistics",
        "Logistics",
        "Series B",
        180,
    )

    with services.pool.connection() as conn:
        rule = add_rule(
            conn, rule_type="EXCLUDED_COMPANY_IDS", value=[NORTHWIND], actor="t", reason="t"
        )
    try:
        refused = operator.get("/api/guardrails/check-contact", params={"contact_id": PRIYA})
    finally:
        with services.pool.connection() as conn:
            remove_rule(conn, rule_id=rule.id, actor="t", reason="t")
    assert refused.status_code == 200
    assert refused.json()["allowed"] is False and refused.json()["email"] == SEED_LEAD_EMAIL
    assert NORTHWIND in refused.json()["reason"]

    missing = operator.get("/api/guardrails/check-contact", params={"contact_id": "999999"})
    assert missing.status_code == 404 and missing.json()["code"] == "contact_not_found"
    for params in ({}, {"email": SEED_LEAD_EMAIL, "contact_id": PRIYA}, {"email": "nobody"}):
        assert operator.get("/api/guardrails/check-contact", params=params).status_code == 422


def test_the_openapi_document_lists_the_spec_paths(admin: httpx.Client) -> None:
    paths = admin.get("/openapi.json").json()["paths"]
    for path in (
        "/api/config/mode",
        "/api/quotas/status",
        "/api/guardrails/check-contact",
        "/api/audit",
        "/api/audit/export",
    ):
        assert "get" in paths[path], path
