"""Failures the caller did not cause: JSON errors that never repeat what went wrong inside.

The app runs without its lifespan, on stand-in services whose database fails the way a test
asks, so no Postgres is needed: the point is what the caller reads and what the log keeps.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from sales_agent.config import load_settings
from sales_agent.server.app import create_app
from sales_agent.triggers.hubspot_signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign_v3

TOKEN = "push-token-for-error-tests"
APP_SECRET = "hubspot-app-secret-for-error-tests"
MAILBOX = "dana@chaingepartners.example"
# What a driver says when the database is away: a host, a user; nothing a stranger should read.
DRIVER_TEXT = 'connection to server at "db-7.internal.example" failed: user "s3cret_db_user"'
INTERNAL_TEXT = "s3cret internal detail"


class FailingPool:
    """A pool whose every connection attempt raises `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def connection(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error


@pytest.fixture
def failing(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """A client on the app whose database raises `request.param`."""
    settings = load_settings(
        _env_file=None,
        pubsub_verification_token=TOKEN,
        hubspot_app_secret=APP_SECRET,
        operator_email=MAILBOX,
    )
    app = create_app(settings, worker=False)
    app.state.services = SimpleNamespace(settings=settings, pool=FailingPool(request.param))
    # No `with`: the lifespan (the real services) never starts.
    yield TestClient(app, raise_server_exceptions=False)


def gmail_push(client: TestClient, message_id: str = "1") -> Response:
    data = json.dumps({"emailAddress": MAILBOX, "historyId": 7}).encode()
    message = {"data": base64.b64encode(data).decode(), "messageId": message_id}
    return client.post("/webhooks/gmail", params={"token": TOKEN}, json={"message": message})


def hubspot_delivery(client: TestClient) -> Response:
    event = {
        "eventId": 1,
        "subscriptionType": "contact.creation",
        "objectId": 5,
        "occurredAt": int(time.time() * 1000),
    }
    body = json.dumps([event]).encode()
    stamp = int(time.time() * 1000)
    url = "http://testserver/webhooks/hubspot"
    signature = sign_v3(app_secret=APP_SECRET, method="POST", uri=url, body=body, timestamp=stamp)
    headers = {SIGNATURE_HEADER: signature, TIMESTAMP_HEADER: str(stamp)}
    return client.post(url, content=body, headers={**headers, "content-type": "application/json"})


def json_error(response: Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json", response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message"}
    return body


@pytest.mark.parametrize("failing", [psycopg.OperationalError(DRIVER_TEXT)], indirect=True)
def test_with_the_database_down_no_caller_reads_the_drivers_text(
    failing: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    ready = failing.get("/ready")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "database unavailable"}

    for response in (gmail_push(failing), hubspot_delivery(failing)):
        assert response.status_code == 503, response.text
        body = json_error(response)
        assert body["code"] == "enqueue_failed"
        assert body["message"].startswith("database unavailable")
    # A keyed route: the key cannot be looked up, which is the database's fault, not the key's.
    keyed = failing.get("/api/drafts", headers={"x-api-key": "sa_0123456789ab_anything"})
    assert keyed.status_code == 503
    assert json_error(keyed) == {
        "code": "database_unavailable",
        "message": "database unavailable: try again shortly",
    }

    responses = (ready, keyed, gmail_push(failing), hubspot_delivery(failing))
    assert not [r.text for r in responses if "s3cret" in r.text or "internal.example" in r.text]
    # The operator still finds the reason, in the log.
    assert DRIVER_TEXT in caplog.text


@pytest.mark.parametrize("failing", [RuntimeError(INTERNAL_TEXT)], indirect=True)
def test_an_unexpected_error_answers_json_without_its_text_or_a_traceback(
    failing: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    # One from a middleware (the key lookup), one from a route (the webhook's enqueue).
    for response in (
        failing.get("/api/drafts", headers={"Authorization": "Bearer sa_0123456789ab_x"}),
        gmail_push(failing),
    ):
        assert response.status_code == 500
        body = json_error(response)
        assert body["code"] == "internal_error"
        assert "log" in body["message"]
        assert INTERNAL_TEXT not in response.text and "Traceback" not in response.text
        assert response.headers["x-request-id"] in body["message"]
    assert INTERNAL_TEXT in caplog.text and "Traceback" in caplog.text
