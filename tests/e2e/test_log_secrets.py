"""No secret the server holds or is shown reaches its log (a live `serve`, its JSON log file).

The webhooks and every way to present a key are exercised with right and wrong secrets;
then no line of the log may hold the Pub/Sub verification token, the HubSpot app secret,
an API key (or its secret part) or a session cookie (or its signature).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from live_server import live_server
from sales_agent.policy.api_keys import create_api_key
from sales_agent.server.credentials import SESSION_COOKIE
from sales_agent.services import Services
from sales_agent.triggers.hubspot_signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign_v3

pytestmark = pytest.mark.slow

PUBSUB_TOKEN = "pubsub-token-Zq81xKw3"
APP_SECRET = "hubspot-secret-Vb27pLm9"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("log-secrets")


@pytest.fixture(scope="module")
def url(services: Services, workdir: Path) -> Iterator[str]:
    env = {
        "SALES_AGENT_PUBSUB_VERIFICATION_TOKEN": PUBSUB_TOKEN,
        "SALES_AGENT_HUBSPOT_APP_SECRET": APP_SECRET,
    }
    with live_server(services, workdir, env) as base:
        yield base


def push(url: str, token: str, **params: str) -> httpx.Response:
    # Another mailbox's notification: verified and acknowledged, nothing queued.
    data = json.dumps({"emailAddress": "someone@elsewhere.example", "historyId": 3}).encode()
    body = {"message": {"data": base64.b64encode(data).decode(), "messageId": "log-1"}}
    return httpx.post(f"{url}/webhooks/gmail", params={"token": token, **params}, json=body)


def hubspot(url: str, secret: str) -> httpx.Response:
    target = f"{url}/webhooks/hubspot?portal=1"
    body, stamp = b"[]", int(time.time() * 1000)
    signature = sign_v3(app_secret=secret, method="POST", uri=target, body=body, timestamp=stamp)
    headers = {SIGNATURE_HEADER: signature, TIMESTAMP_HEADER: str(stamp)}
    return httpx.post(target, content=body, headers={**headers, "content-type": "application/json"})


def test_no_secret_reaches_the_log(url: str, services: Services, workdir: Path) -> None:
    with services.pool.connection() as conn:
        key = create_api_key(conn, role="operator", name="log-secrets", actor="tests").key
    assert push(url, PUBSUB_TOKEN).status_code == 200
    assert push(url, "wrong-" + PUBSUB_TOKEN, access_token=PUBSUB_TOKEN).status_code == 401
    assert hubspot(url, APP_SECRET).status_code == 200
    assert hubspot(url, "wrong-" + APP_SECRET).status_code == 401

    with httpx.Client(base_url=url, timeout=30) as browser:
        assert browser.post("/api/session", json={"key": key}).status_code == 200
        cookie = browser.cookies[SESSION_COOKIE]
        assert browser.get("/api/drafts").status_code == 200
    assert httpx.get(f"{url}/api/session", headers={"x-api-key": key}).status_code == 200
    assert httpx.get(f"{url}/api/session", headers={"Authorization": f"Bearer {key}"}).is_success
    # A key where it does not belong, in the URL, still stays out of the log.
    httpx.get(f"{url}/api/drafts", params={"api_key": key, "key": key})
    httpx.get(f"{url}/api/session", headers={"x-api-key": key + "x"})
    httpx.post(f"{url}/api/session", json={"key": key + "x"})
    httpx.get(f"{url}/api/session", cookies={SESSION_COOKIE: cookie + "x"})

    secrets = {
        "Pub/Sub token": PUBSUB_TOKEN,
        "HubSpot app secret": APP_SECRET,
        "API key": key,
        "API key's secret part": key.split("_", 2)[2],
        "session cookie": cookie,
        "session signature": cookie.rsplit(".", 1)[1],
    }
    time.sleep(0.5)  # the last access lines
    lines = (workdir / "serve-0.log").read_text().splitlines()
    assert sum('"logger": "uvicorn.access"' in line for line in lines) >= 12
    assert any("/webhooks/gmail?token=[REDACTED]" in line for line in lines)
    leaked = {what: line for what, secret in secrets.items() for line in lines if secret in line}
    assert leaked == {}
