"""API keys, roles, the web sign-in and rate limits, on a live `sales-agent serve`."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from live_server import live_server, operator_key
from sales_agent.policy.api_keys import create_api_key, revoke_api_key
from sales_agent.server.credentials import SESSION_COOKIE
from sales_agent.services import Services

pytestmark = pytest.mark.slow


RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def url(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(services, tmp_path_factory.mktemp("auth")) as base:
        yield base


@pytest.fixture(scope="module")
def admin(services: Services) -> str:
    with services.pool.connection() as conn:
        return create_api_key(conn, role="admin", name="auth-admin", actor="tests").key


@pytest.fixture(scope="module")
def operator(services: Services) -> str:
    return operator_key(services)


def get(url: str, path: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{url}{path}", headers=headers, timeout=30)


def test_open_routes_need_no_key(url: str) -> None:
    assert get(url, "/health").status_code == 200
    assert get(url, "/ready").status_code == 200
    # The webhooks check their own signatures: refused for that, never for a missing key.
    hook = httpx.post(f"{url}/webhooks/hubspot", json=[], timeout=30)
    assert hook.json().get("code") != "missing_credentials"


def test_a_route_without_a_key_is_401_with_a_json_error(url: str) -> None:
    for path in ("/api/drafts", "/api/admin/config", "/metrics", "/openapi.json"):
        response = get(url, path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "missing_credentials"
        assert "create-key" in response.json()["message"]
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer sa_0123456789ab_not-the-secret"},
        {"x-api-key": "not-a-key-at-all"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_a_wrong_key_is_401(url: str, headers: dict[str, str]) -> None:
    response = get(url, "/api/session", **headers, **{"X-Forwarded-For": "198.51.100.1"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_bearer_and_x_api_key_both_work(url: str, operator: str) -> None:
    for headers in ({"Authorization": f"Bearer {operator}"}, {"x-api-key": operator}):
        response = get(url, "/api/session", **headers)
        assert response.status_code == 200
        assert response.json()["role"] == "operator"


def test_an_operator_key_is_refused_on_admin_routes_but_reads_the_mode(
    url: str, operator: str, admin: str
) -> None:
    refused = get(url, "/api/admin/config", **{"x-api-key": operator})
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    change = httpx.put(
        f"{url}/api/admin/mode",
        json={"mode": "SEND_ALLOWED", "reason": "operators may not"},
        headers={"x-api-key": operator},
    )
    assert change.status_code == 403
    assert get(url, "/api/admin/mode", **{"x-api-key": operator}).json() == {
        "mode": "DRAFT_ONLY",
        "kill_switch": False,
    }
    assert get(url, "/api/admin/config", **{"x-api-key": admin}).status_code == 200


def test_create_key_prints_a_working_key_stored_only_hashed(
    url: str, services: Services, cli: RunCli
) -> None:
    created = cli("admin", "create-key", "--role", "admin", "--name", "ci-admin")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("sa_") and len(key) > 50
    assert "shown once" in created.stderr

    with services.pool.connection() as conn:
        row = conn.execute("SELECT * FROM api_keys WHERE name = 'ci-admin'").fetchone()
    assert row is not None and row["role"] == "admin"
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert all(key not in str(value) for value in row.values())
    assert get(url, "/api/admin/config", **{"x-api-key": key}).status_code == 200

    listed = cli("admin", "list-keys", "--json")
    [entry] = [k for k in json.loads(listed.stdout) if k["name"] == "ci-admin"]
    assert entry["prefix"] == row["prefix"] and "key_hash" not in entry
    assert entry["last_used_at"] is not None

    revoked = cli("admin", "revoke-key", row["prefix"], "--reason", "rotated")
    assert revoked.returncode == 0, revoked.stderr
    assert get(url, "/api/admin/config", **{"x-api-key": key}).status_code == 401
    assert cli("admin", "create-key", "--role", "root").returncode == 2


def test_a_revoked_key_is_401_at_once(url: str, services: Services) -> None:
    key = operator_key(services)
    assert get(url, "/api/session", **{"x-api-key": key}).status_code == 200
    prefix = key.split("_")[1]
    with services.pool.connection() as conn:
        revoke_api_key(conn, prefix=prefix, actor="tests", reason="left the team")
    response = get(url, "/api/session", **{"x-api-key": key})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_web_sign_in_sets_a_signed_cookie_and_sign_out_ends_it(url: str, operator: str) -> None:
    with httpx.Client(base_url=url, timeout=30) as browser:
        signed_in = browser.post("/api/session", json={"key": operator})
        assert signed_in.status_code == 200
        assert signed_in.json()["role"] == "operator"
        cookie_header = signed_in.headers["set-cookie"]
        assert "HttpOnly" in cookie_header
        assert "SameSite=strict" in cookie_header or "SameSite=Strict" in cookie_header
        value = browser.cookies[SESSION_COOKIE]
        # The secret is everything after the prefix; it may itself contain "_".
        secret = operator.removeprefix("sa_").partition("_")[2]
        assert secret and secret not in value
        assert browser.get("/api/session").json()["name"] == "tests"
        assert browser.get("/api/drafts").status_code == 200

        prefix, expires, signature = value.split(".")
        forged = f"{prefix}.{int(expires) + 3600}.{signature}"
        tampered = httpx.get(f"{url}/api/session", cookies={SESSION_COOKIE: forged})
        assert tampered.status_code == 401

        assert browser.delete("/api/session").status_code == 204
        assert SESSION_COOKIE not in browser.cookies
        after = browser.get("/api/session")
        assert after.status_code == 401
        assert after.json()["code"] == "missing_credentials"


def test_sign_in_with_a_wrong_key_is_401_and_sets_no_cookie(url: str) -> None:
    response = httpx.post(
        f"{url}/api/session",
        json={"key": "sa_aaaaaaaaaaaa_wrong"},
        headers={"X-Forwarded-For": "198.51.100.2"},
    )
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert httpx.post(f"{url}/api/session", json={}).status_code == 422


def test_repeated_failures_on_a_key_are_429_even_for_the_right_key(
    url: str, operator: str, admin: str
) -> None:
    guesser = {"X-Forwarded-For": "203.0.113.77"}
    prefix = operator.split("_")[1]
    for attempt in range(10):
        guess = {"x-api-key": f"sa_{prefix}_guess{attempt}"}
        assert get(url, "/api/session", **guesser, **guess).status_code == 401
    blocked = get(url, "/api/session", **guesser, **{"x-api-key": f"sa_{prefix}_again"})
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "rate_limited"
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    right_key = get(url, "/api/session", **guesser, **{"x-api-key": operator})
    assert right_key.status_code == 429
    sign_in = httpx.post(f"{url}/api/session", json={"key": operator}, headers=guesser)
    assert sign_in.status_code == 429
    # Another address is not affected, nor another key at this address.
    assert get(url, "/api/session", **{"x-api-key": operator}).status_code == 200
    assert get(url, "/api/session", **guesser, **{"x-api-key": admin}).status_code == 200


def test_a_strangers_failures_do_not_lock_out_an_admin_at_the_same_address(
    url: str, admin: str
) -> None:
    shared = {"X-Forwarded-For": "203.0.113.88"}  # one office, one NAT
    for attempt in range(10):
        stranger = {"x-api-key": f"sa_{attempt:012x}_wrong"}
        assert get(url, "/api/session", **shared, **stranger).status_code == 401
    for malformed in ("not-a-key", "sa_short_x"):
        assert get(url, "/api/session", **shared, **{"x-api-key": malformed}).status_code == 401
    signed_in = get(url, "/api/session", **shared, **{"x-api-key": admin})
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["role"] == "admin"


def _cookie(value: str) -> dict[str, bytes]:
    # As a client may send it: bytes, which the server reads as latin-1 ("\xb2" is "²").
    return {"Cookie": f"{SESSION_COOKIE}={value}".encode("latin-1")}


def test_a_malformed_credential_is_401_and_counts_as_a_failed_sign_in(
    url: str, operator: str
) -> None:
    prefix = operator.split("_")[1]
    later = int(time.time()) + 3600
    signature, accented = "A" * 43, "\xe9" * 43
    malformed = [
        f"{prefix}.\xb2\xb3.{signature}",  # superscript digits: str.isdigit() says yes
        f"{prefix}.{'9' * 5000}.{signature}",  # past int()'s 4,300-digit limit
        f"{prefix}.{later}.{accented}",  # a signature hmac.compare_digest cannot compare
        f"{prefix}.{later}.{signature}\xe9",
        f"{prefix}.-5.{signature}",
        f"{prefix}..",
    ]
    prober = {"X-Forwarded-For": "198.51.100.30"}
    for value in malformed + malformed[:4]:
        response = httpx.get(f"{url}/api/session", headers={**prober, **_cookie(value)})
        assert response.status_code == 401, (value[:40], response.text)
        assert response.json()["code"] == "invalid_credentials"
    # Ten failures on this key from this address: refused now, the right key too.
    refused = httpx.get(f"{url}/api/session", headers={**prober, "x-api-key": operator})
    assert refused.status_code == 429
    for header in ({"Authorization": "Bearer sa_\xb2\xb2_x"}, {"x-api-key": "\xff" * 300}):
        encoded = {k: v.encode("latin-1") for k, v in header.items()}
        other = {"X-Forwarded-For": "198.51.100.31", **encoded}
        assert httpx.get(f"{url}/api/session", headers=other).status_code == 401


def test_rotate_key_replaces_a_key_and_an_expired_key_is_401(
    url: str, services: Services, cli: RunCli
) -> None:
    created = cli(
        "admin", "create-key", "--role", "admin", "--name", "rotating", "--expires-in-days", "30"
    )
    assert created.returncode == 0, created.stderr
    old = created.stdout.strip()
    prefix = old.split("_")[1]
    listed = json.loads(cli("admin", "list-keys", "--json").stdout)
    [entry] = [k for k in listed if k["prefix"] == prefix]
    assert entry["expires_at"] is not None

    rotated = cli("admin", "rotate-key", prefix, "--reason", "quarterly", "--grace-hours", "1")
    assert rotated.returncode == 0, rotated.stderr
    new = rotated.stdout.strip()
    assert new.startswith("sa_") and new != old and f"replaces {prefix}" in rotated.stderr
    # Both work during the grace hour; the new one has the old one's name and role.
    for key in (old, new):
        assert get(url, "/api/admin/config", **{"x-api-key": key}).status_code == 200
    with services.pool.connection() as conn:
        names = conn.execute(
            "SELECT name, role FROM api_keys WHERE prefix = %s", [new.split("_")[1]]
        ).fetchone()
        event = conn.execute(
            "SELECT metadata FROM audit_log WHERE action = 'api_key_rotated'"
        ).fetchone()
        # The grace hour has passed.
        conn.execute(
            "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE prefix = %s",
            [prefix],
        )
    assert names == {"name": "rotating", "role": "admin"}
    assert event is not None and event["metadata"]["old_prefix"] == prefix
    assert get(url, "/api/admin/config", **{"x-api-key": old}).status_code == 401
    assert get(url, "/api/admin/config", **{"x-api-key": new}).status_code == 200
    assert cli("admin", "rotate-key", "000000000000", "--reason", "r").returncode == 2
