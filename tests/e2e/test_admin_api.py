"""The admin API on a live server: each policy change audited with the key's name."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from live_server import live_server, operator_key
from sales_agent.policy.api_keys import create_api_key
from sales_agent.services import Services

pytestmark = pytest.mark.slow

ACTOR = "admin-api-tests"


@pytest.fixture(scope="module")
def api(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with services.pool.connection() as conn:
        key = create_api_key(conn, role="admin", name=ACTOR, actor="tests").key
    with (
        live_server(services, tmp_path_factory.mktemp("admin-api")) as url,
        httpx.Client(base_url=url, headers={"x-api-key": key}, timeout=60) as client,
    ):
        yield client


def last_event(services: Services) -> dict[str, Any]:
    with services.pool.connection() as conn:
        row = conn.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert row is not None
    return row


def invalid(response: httpx.Response, code: str = "invalid_request", status: int = 422) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    return str(body["message"])


def test_config_is_served_with_secrets_masked(api: httpx.Client) -> None:
    config = api.get("/api/admin/config").json()
    assert config["timezone"] == "Europe/London"
    assert {"database_url", "hubspot_app_secret", "public_url"} <= set(config)
    # The test database's URL has an (empty) password: it is masked like any other.
    assert ":***@" in config["database_url"]


def test_mode_change_is_audited_with_the_keys_name(api: httpx.Client, services: Services) -> None:
    changed = api.put("/api/admin/mode", json={"mode": "SEND_ALLOWED", "reason": "pilot week"})
    assert changed.json() == {"mode": "SEND_ALLOWED", "kill_switch": False}
    event = last_event(services)
    assert (event["actor"], event["action"], event["reason"]) == (
        ACTOR,
        "mode_changed",
        "pilot week",
    )
    assert api.get("/api/admin/mode").json()["mode"] == "SEND_ALLOWED"
    api.put("/api/admin/mode", json={"mode": "DRAFT_ONLY", "reason": "pilot over"})

    invalid(api.put("/api/admin/mode", json={"mode": "YOLO", "reason": "x"}))
    details = api.put("/api/admin/mode", json={"mode": "DRAFT_ONLY"}).json()["details"]
    assert details[0]["loc"] == ["body", "reason"]
    invalid(
        api.put(
            "/api/admin/mode", content=b"{not json", headers={"content-type": "application/json"}
        )
    )


def test_kill_switch_engages_and_releases(api: httpx.Client, services: Services) -> None:
    assert api.post("/api/admin/kill-switch/engage", json={"reason": "bad batch"}).json() == {
        "engaged": True
    }
    assert api.get("/api/admin/kill-switch").json() == {"engaged": True}
    assert api.get("/api/admin/mode").json()["kill_switch"] is True
    assert last_event(services)["action"] == "kill_switch_engaged"
    assert api.post("/api/admin/kill-switch/release", json={"reason": "fixed"}).json() == {
        "engaged": False
    }
    invalid(api.post("/api/admin/kill-switch/engage", json={"reason": ""}))


def test_flags_list_and_set(api: httpx.Client) -> None:
    names = [flag["name"] for flag in api.get("/api/admin/flags").json()]
    assert "STORY_PITCH_ENABLED" in names
    flag = api.put(
        "/api/admin/flags/story_pitch_enabled",
        json={"enabled": True, "rollout_percent": 25, "reason": "try it"},
    ).json()
    assert (flag["name"], flag["enabled"], flag["rollout_percent"]) == (
        "STORY_PITCH_ENABLED",
        True,
        25,
    )
    assert flag["updated_by"] == ACTOR
    assert "known flags" in invalid(
        api.put("/api/admin/flags/NOPE", json={"enabled": True, "reason": "x"}), "flag_error"
    )
    invalid(
        api.put("/api/admin/flags/STORY_PITCH_ENABLED", json={"reason": "x"}), "nothing_to_change"
    )
    invalid(
        api.put(
            "/api/admin/flags/STORY_PITCH_ENABLED", json={"rollout_percent": 101, "reason": "x"}
        )
    )


def test_guardrails_crud(api: httpx.Client, services: Services) -> None:
    created = api.post(
        "/api/admin/guardrails",
        json={"rule_type": "ALLOWED_COMPANY_STAGE", "value": ["Series A"], "reason": "focus"},
    )
    assert created.status_code == 201
    rule = created.json()
    assert rule["value"] == ["Series A"] and rule["active"] is True
    updated = api.patch(
        f"/api/admin/guardrails/{rule['id']}", json={"active": False, "reason": "pause"}
    ).json()
    assert updated["active"] is False
    assert [r["id"] for r in api.get("/api/admin/guardrails").json()] == [rule["id"]]
    removed = api.delete(f"/api/admin/guardrails/{rule['id']}", params={"reason": "done"})
    assert removed.json()["id"] == rule["id"]
    assert last_event(services)["action"] == "guardrail_removed"
    assert api.get("/api/admin/guardrails").json() == []

    invalid(
        api.post("/api/admin/guardrails", json={"rule_type": "NOPE", "value": 1, "reason": "x"}),
        "guardrail_error",
    )
    invalid(
        api.patch("/api/admin/guardrails/999999", json={"active": True, "reason": "x"}),
        "guardrail_not_found",
        404,
    )
    invalid(api.delete(f"/api/admin/guardrails/{rule['id']}"))  # no reason


def test_suppression_add_check_list_remove(api: httpx.Client) -> None:
    added = api.post(
        "/api/admin/suppression", json={"value": "Optout@Example.com", "reason": "OPT_OUT"}
    )
    assert added.status_code == 201
    assert added.json()["value"] == "optout@example.com"
    check = api.get("/api/admin/suppression/check", params={"email": "optout@example.com"}).json()
    assert check["suppressed"] is True and check["entry"]["reason"] == "OPT_OUT"
    clear = api.get("/api/admin/suppression/check", params={"email": "fine@example.com"}).json()
    assert clear == {"email": "fine@example.com", "suppressed": False, "entry": None}
    assert "optout@example.com" in [e["value"] for e in api.get("/api/admin/suppression").json()]
    removed = api.delete(
        "/api/admin/suppression/optout@example.com", params={"reason": "asked back"}
    )
    assert removed.status_code == 200
    invalid(
        api.delete("/api/admin/suppression/optout@example.com", params={"reason": "again"}),
        "suppression_not_found",
        404,
    )
    invalid(api.post("/api/admin/suppression", json={"value": "a@b.example", "reason": "BORED"}))


def test_a_blank_reason_is_refused_before_anything_changes(
    api: httpx.Client, services: Services
) -> None:
    """A reason of only whitespace is no reason: a 422 naming it, and no audit event."""
    with services.pool.connection() as conn:  # its own key: the module's write budget is spent
        key = create_api_key(conn, role="admin", name="blank-reasons", actor="tests").key
    before = last_event(services)["id"]
    with httpx.Client(base_url=api.base_url, headers={"x-api-key": key}, timeout=60) as own:
        # "\x1c" is whitespace to Python's `strip` (the audit log's test), not to a regex.
        for blank in (" ", "\r", "\t\n", "\x1c"):
            for path in (
                "/api/admin/connections/hubspot",
                "/api/admin/suppression/nobody@example.com",
                "/api/admin/guardrails/1",
            ):
                refused = own.delete(path, params={"reason": blank})
                invalid(refused)
                assert refused.json()["details"][0]["loc"] == ["query", "reason"]
            for path in ("/api/admin/kill-switch/engage", "/api/sequences/1/stop"):
                refused = own.post(path, json={"reason": blank})
                invalid(refused)
                assert refused.json()["details"][0]["loc"] == ["body", "reason"]
    assert last_event(services)["id"] == before


def test_quotas_status_limits_and_reset(api: httpx.Client) -> None:
    status = api.get("/api/admin/quotas", params={"contact": "lead@example.com"}).json()
    assert {q["quota_type"] for q in status} >= {"global_daily", "contact_7_days"}
    assert api.get("/api/admin/quotas/limits").json()["global_daily"] == 50
    limits = api.put("/api/admin/quotas/limits", json={"global_daily": 40, "reason": "warm-up"})
    assert limits.json()["global_daily"] == 40 and limits.json()["global_weekly"] == 200
    assert "0 or more" in invalid(
        api.put("/api/admin/quotas/limits", json={"global_daily": -1, "reason": "x"}),
        "quota_limits_invalid",
    )
    invalid(api.put("/api/admin/quotas/limits", json={"daily": 1, "reason": "x"}))
    invalid(api.put("/api/admin/quotas/limits", json={"reason": "x"}), "nothing_to_change")
    assert api.post("/api/admin/quotas/reset", json={"reason": "new campaign"}).json() == {
        "released": 0
    }


def test_audit_query_pages_and_exports_csv(api: httpx.Client) -> None:
    for reason in ("one", "two", "three"):
        api.post("/api/admin/kill-switch/release", json={"reason": reason})
    first = api.get("/api/admin/audit", params={"page_size": 2}).json()
    assert first["page"] == 1 and len(first["events"]) == 2 and first["total"] >= 3
    last_page = -(-first["total"] // 2)
    final = api.get("/api/admin/audit", params={"page_size": 2, "page": last_page}).json()
    assert final["events"][-1]["reason"] == "three"
    assert final["events"][-1]["actor"] == ACTOR

    today = api.get("/api/admin/audit", params={"since": "2000-01-01", "until": "2999-12-31"})
    assert today.json()["total"] == first["total"]
    assert api.get("/api/admin/audit", params={"until": "2000-01-01"}).json()["total"] == 0
    assert "not a date" in invalid(
        api.get("/api/admin/audit", params={"since": "soon"}), "invalid_date"
    )
    invalid(api.get("/api/admin/audit", params={"draft": "not-a-uuid"}), "audit_error")
    invalid(api.get("/api/admin/audit", params={"page": 0}))
    invalid(api.get("/api/admin/audit", params={"page": 10**20}))  # no 500 from Postgres

    export = api.get("/api/admin/audit/export")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert len(rows) == first["total"]
    assert rows[-1]["reason"] == "three" and rows[-1]["actor"] == ACTOR
    assert {"id", "occurred_at", "action", "hash", "prev_hash"} <= set(rows[0])


def test_an_operator_cannot_change_anything(api: httpx.Client, services: Services) -> None:
    headers = {"x-api-key": operator_key(services)}
    for method, path in (
        ("POST", "/api/admin/kill-switch/engage"),
        ("PUT", "/api/admin/quotas/limits"),
        ("GET", "/api/admin/audit/export"),
    ):
        response = api.request(method, path, headers=headers, json={"reason": "x"})
        assert response.status_code == 403, path
