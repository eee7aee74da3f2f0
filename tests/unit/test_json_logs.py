"""Trace ids from headers, the JSON log formatter, masked settings, the API-error counter."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator

import pytest
from prometheus_client import CollectorRegistry

from sales_agent.config import load_settings
from sales_agent.connectors.retry import RetryPolicy, TransientConnectorError, call_with_retry
from sales_agent.errors import ConnectorError
from sales_agent.logging_json import log_config
from sales_agent.metrics import EXTERNAL_API_ERRORS
from sales_agent.server.admin.settings_routes import masked_settings
from sales_agent.trace import current_trace_id, trace_id_from_headers, trace_scope

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.mark.parametrize(
    ("traceparent", "request_id", "expected"),
    [
        (f"00-{TRACE}-00f067aa0ba902b7-01", "ignored", TRACE),
        (f"00-{TRACE.upper()}-00f067aa0ba902b7-01", None, TRACE),
        ("00-" + "0" * 32 + "-00f067aa0ba902b7-01", "req-1", "req-1"),  # all-zero: invalid
        ("garbage", "req-2", "req-2"),
        (None, " req-3 ", "req-3"),
    ],
)
def test_trace_id_from_headers(
    traceparent: str | None, request_id: str | None, expected: str
) -> None:
    assert trace_id_from_headers(traceparent, request_id) == expected


@pytest.mark.parametrize("request_id", ["a b", "x" * 129, "line\nbreak", ""])
def test_an_unusable_request_id_gets_a_new_trace_id(request_id: str) -> None:
    generated = trace_id_from_headers(None, request_id)
    assert generated != request_id and len(generated) == 32


def test_trace_scope_nests_and_restores() -> None:
    assert current_trace_id() is None
    with trace_scope("outer"):
        with trace_scope() as inner:
            assert current_trace_id() == inner != "outer"
        assert current_trace_id() == "outer"
    assert current_trace_id() is None


@pytest.fixture
def json_stream() -> Iterator[io.StringIO]:
    """JSON logging into a buffer for the test; the logging setup is restored after."""
    config = log_config("DEBUG")
    loggers = [logging.getLogger(), *map(logging.getLogger, config["loggers"])]
    saved = [(lg, lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    stream = io.StringIO()
    config["handlers"]["json"]["stream"] = stream
    logging.config.dictConfig(config)
    yield stream
    for lg, handlers, level, propagate in saved:
        lg.handlers[:] = handlers
        lg.setLevel(level)
        lg.propagate = propagate


def test_a_log_line_is_one_json_object_with_the_trace_id_and_pii_redacted(
    json_stream: io.StringIO,
) -> None:
    with trace_scope("trace-abc"):
        logging.getLogger("sales_agent.test").info(
            "drafted for %s", "priya@northwind-logistics.example", extra={"to": "a@b.example"}
        )
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/x?e=a%40b.example", "1.1", 200
    )
    first, access = (json.loads(line) for line in json_stream.getvalue().splitlines())
    assert first["trace_id"] == "trace-abc"
    assert (first["level"], first["logger"]) == ("INFO", "sales_agent.test")
    assert first["message"] == "drafted for [EMAIL]" and first["to"] == "[EMAIL]"
    assert access["trace_id"] is None
    assert (access["method"], access["status"], access["path"]) == ("GET", 200, "/x?e=[EMAIL]")
    assert "a@b" not in access["message"] and "color_message" not in access


def test_an_access_line_keeps_no_query_string_secret(json_stream: io.StringIO) -> None:
    path = "/webhooks/gmail?token=pubsub-s3cret&a=1&api_key=sa_0123456789ab_k3y&x%5Fkey=k%26y"
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "POST", path, "1.1", 200
    )
    [access] = (json.loads(line) for line in json_stream.getvalue().splitlines())
    assert access["path"] == (
        "/webhooks/gmail?token=[REDACTED]&a=1&api_key=[REDACTED]&x_key=[REDACTED]"
    )
    line = json.dumps(access)
    assert "s3cret" not in line and "k3y" not in line and "k&y" not in line and "k%26y" not in line
    assert "[REDACTED]" in access["message"]


def test_config_masks_secrets_and_url_passwords() -> None:
    settings = load_settings(
        database_url="postgresql://agent:hunter2@db.internal:5432/sales",
        hubspot_app_secret="app-secret-value",
        openai_api_key="sk-live-value",
        _env_file=None,
    )
    text = json.dumps(masked_settings(settings))
    for secret in ("hunter2", "app-secret-value", "sk-live-value"):
        assert secret not in text
    assert (
        masked_settings(settings)["database_url"] == "postgresql://agent:***@db.internal:5432/sales"
    )


def test_each_failed_call_to_a_service_is_counted() -> None:
    registry = CollectorRegistry()
    registry.register(EXTERNAL_API_ERRORS)

    def count(status: str) -> float:
        labels = {"service": "unit-svc", "status": status}
        return registry.get_sample_value("sales_agent_external_api_errors_total", labels) or 0.0

    before_503, before_404 = count("503"), count("404")
    attempts = iter([TransientConnectorError("unit-svc", "busy", status=503)])

    def flaky() -> str:
        error = next(attempts, None)
        if error is not None:
            raise error
        return "ok"

    policy = RetryPolicy(attempts=2, initial_delay=0, max_delay=0, paced=False)
    assert call_with_retry(flaky, policy, service="unit-svc") == "ok"
    assert count("503") == before_503 + 1

    def missing() -> str:
        raise ConnectorError("unit-svc", "no such thing", status=404)

    with pytest.raises(ConnectorError):
        call_with_retry(missing, policy, service="unit-svc")
    assert count("404") == before_404 + 1
