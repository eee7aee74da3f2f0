"""Connecting real accounts, end to end against the sandbox: consent, callback, encrypted store.

A live server whose Google OAuth client, consent screen, token endpoint and API base URL all
point at the sandbox: the admin's authorize request, the sandbox's consent, the callback,
the token stored encrypted, and the Gmail client built from it; then the refusals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from psycopg import Connection
from psycopg.rows import DictRow

from connect_helpers import KEY, google_env, google_settings
from sales_agent.bench.processes import free_port, sales_agent_processes, wait_until_up
from sales_agent.connectors import build_connectors
from sales_agent.connectors.account_tokens import AccountTokens
from sales_agent.connectors.google_api import GOOGLE_SCOPES
from sales_agent.connectors.google_consent import new_pkce
from sales_agent.errors import ConnectorError
from sales_agent.policy.api_keys import create_api_key
from sales_agent.sandbox import SEED_LEAD_THREAD_ID
from sales_agent.secret_box import SecretBox
from sales_agent.services import Services

pytestmark = pytest.mark.slow

ADMIN = "connect-tests"


@dataclass(frozen=True)
class Server:
    url: str
    admin: httpx.Client
    """Sends the admin key; never follows redirects."""


@pytest.fixture(scope="module")
def server(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    assert services.sandbox_url is not None
    with services.pool.connection() as conn:
        key = create_api_key(conn, role="admin", name=ADMIN, actor="tests").key
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**google_env(services.sandbox_url), "SALES_AGENT_PUBLIC_URL": url}
    workdir = tmp_path_factory.mktemp("connect")
    serve = [["serve", "--port", str(port), "--no-worker"]]
    with sales_agent_processes(services, workdir, serve, env) as [(process, log)]:
        wait_until_up(f"{url}/health", process, log)
        with httpx.Client(base_url=url, headers={"x-api-key": key}, timeout=60) as admin:
            yield Server(url=url, admin=admin)


@pytest.fixture(autouse=True)
def disconnected(services: Services) -> None:
    with services.pool.connection() as conn:
        conn.execute("DELETE FROM connected_accounts")
        conn.execute("DELETE FROM oauth_requests")


def consent(server: Server) -> tuple[dict[str, str], str]:
    """Authorize as the admin, let the sandbox consent: the consent query and the callback URL."""
    started = server.admin.get("/auth/google/authorize")
    assert started.status_code == 302, started.text
    location = started.headers["location"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    consented = httpx.get(location)  # the sandbox's stand-in consents at once
    assert consented.status_code == 302, consented.text
    return query, consented.headers["location"]


def last_event(conn: Connection[DictRow]) -> dict[str, object]:
    row = conn.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert row is not None
    return row


def test_consent_stores_the_token_encrypted_and_gmail_works_from_it(
    server: Server, services: Services
) -> None:
    query, callback = consent(server)

    assert query["scope"].split() == list(GOOGLE_SCOPES)
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 43 and query["access_type"] == "offline"
    assert query["redirect_uri"] == f"{server.url}/auth/google/callback"
    assert callback.startswith(f"{server.url}/auth/google/callback?")
    assert parse_qs(urlsplit(callback).query)["state"] == [query["state"]]

    connected = httpx.get(callback)  # no key: the state is the proof

    assert connected.status_code == 200, connected.text
    account = connected.json()
    assert account["account_email"] == services.settings.operator_email
    assert account["scopes"] == list(GOOGLE_SCOPES)
    assert account["connected_by"] == ADMIN
    assert "secret" not in str(account) and "refresh" not in str(account)
    with services.pool.connection() as conn:
        row = conn.execute("SELECT * FROM connected_accounts").fetchone()
        event = last_event(conn)
    assert row is not None
    refresh_token = SecretBox([KEY]).decrypt(row["secret_ciphertext"])
    refreshed = httpx.post(  # a token the sandbox issued and still honours
        f"{services.sandbox_url}/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": "c"},
    )
    assert refreshed.status_code == 200, refreshed.text
    assert refresh_token not in row["secret_ciphertext"]
    assert (event["action"], event["actor"]) == ("account_connected", ADMIN)

    # The Gmail client built from the stored token (no refresh token in the settings).
    settings = google_settings(services)
    assert settings.google_refresh_token is None
    tokens = AccountTokens(settings, services.pool)
    gmail = build_connectors(settings, services.sandbox_url, tokens=tokens).gmail
    assert gmail.get_thread(SEED_LEAD_THREAD_ID).id == SEED_LEAD_THREAD_ID


def test_a_replayed_callback_is_refused_and_audited(server: Server, services: Services) -> None:
    _, callback = consent(server)
    assert httpx.get(callback).status_code == 200

    replayed = httpx.get(callback)

    assert replayed.status_code == 400
    assert replayed.json()["code"] == "invalid_state"
    assert "already used" in replayed.json()["message"]
    with services.pool.connection() as conn:
        event = last_event(conn)
    assert event["action"] == "account_connect_refused"


def test_wrong_state_is_refused(server: Server, services: Services) -> None:
    _, callback = consent(server)
    code = parse_qs(urlsplit(callback).query)["code"][0]

    forged = httpx.get(
        f"{server.url}/auth/google/callback", params={"state": "x" * 43, "code": code}
    )

    assert forged.status_code == 400 and forged.json()["code"] == "invalid_state"
    with services.pool.connection() as conn:
        assert conn.execute("SELECT count(*) AS n FROM connected_accounts").fetchone() == {"n": 0}


def test_expired_state_is_refused(server: Server, services: Services) -> None:
    _, callback = consent(server)
    with services.pool.connection() as conn:
        conn.execute("UPDATE oauth_requests SET expires_at = created_at - interval '1 second'")

    expired = httpx.get(callback)

    assert expired.status_code == 400 and expired.json()["code"] == "state_expired"
    with services.pool.connection() as conn:
        event = last_event(conn)
    assert (event["action"], event["actor"]) == ("account_connect_refused", ADMIN)


def test_a_wrong_verifier_fails_the_exchange(server: Server, services: Services) -> None:
    _, callback = consent(server)
    with services.pool.connection() as conn:  # as if the verifier had been swapped
        other = SecretBox([KEY]).encrypt(new_pkce().verifier)
        conn.execute("UPDATE oauth_requests SET verifier_ciphertext = %s", (other,))

    refused = httpx.get(callback)

    assert refused.status_code == 400
    assert refused.json()["code"] == "code_exchange_failed"
    assert "Invalid code verifier" in refused.json()["message"]


def test_authorize_needs_an_admin(server: Server, services: Services) -> None:
    with services.pool.connection() as conn:
        operator = create_api_key(conn, role="operator", name="op", actor="tests").key
    anonymous = httpx.get(f"{server.url}/auth/google/authorize")
    as_operator = httpx.get(f"{server.url}/auth/google/authorize", headers={"x-api-key": operator})
    assert (anonymous.status_code, as_operator.status_code) == (401, 403)


def test_without_a_connected_account_or_env_token_gmail_says_how_to_connect(
    services: Services,
) -> None:
    settings = google_settings(services)
    tokens = AccountTokens(settings, services.pool)
    gmail = build_connectors(settings, services.sandbox_url, tokens=tokens).gmail

    with pytest.raises(ConnectorError) as caught:
        gmail.get_thread(SEED_LEAD_THREAD_ID)

    assert "/auth/google/authorize" in caught.value.message
    assert "sales-agent auth google" in caught.value.message
    fallback = AccountTokens(google_settings(services, google_refresh_token="from-env"))
    assert fallback.google_refresh_token() == "from-env"


def test_hubspot_token_is_stored_encrypted_and_preferred(
    server: Server, services: Services
) -> None:
    stored = server.admin.put(
        "/api/admin/connections/hubspot", json={"token": "pat-na1-stored", "reason": "go live"}
    )
    assert stored.status_code == 200, stored.text
    assert stored.json()["provider"] == "hubspot" and "pat-na1" not in stored.text
    listed = server.admin.get("/api/admin/connections").json()
    assert [a["provider"] for a in listed] == ["hubspot"]
    with services.pool.connection() as conn:
        row = conn.execute("SELECT secret_ciphertext FROM connected_accounts").fetchone()
        event = last_event(conn)
    assert row is not None and "pat-na1-stored" not in row["secret_ciphertext"]
    assert (event["action"], event["reason"]) == ("account_connected", "go live")
    settings = google_settings(services, hubspot_access_token="pat-from-env")
    assert AccountTokens(settings, services.pool).hubspot_token() == "pat-na1-stored"

    removed = server.admin.delete("/api/admin/connections/hubspot", params={"reason": "rotate"})
    again = server.admin.delete("/api/admin/connections/hubspot", params={"reason": "rotate"})

    assert removed.status_code == 200 and again.status_code == 404
    assert AccountTokens(settings, services.pool).hubspot_token() == "pat-from-env"


def test_a_denied_consent_is_refused(server: Server, services: Services) -> None:
    query, _ = consent(server)  # Google answers `error` and the state, no code, on "Cancel"
    denied = httpx.get(
        f"{server.url}/auth/google/callback",
        params={"state": query["state"], "error": "access_denied"},
    )
    assert denied.status_code == 400 and denied.json()["code"] == "consent_denied"
    assert "access_denied" in denied.json()["message"]
    with services.pool.connection() as conn:
        assert conn.execute("SELECT count(*) AS n FROM connected_accounts").fetchone() == {"n": 0}
