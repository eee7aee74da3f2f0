"""JSON logs with the request's trace id, and Prometheus /metrics, on a live server."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from psycopg.types.json import Jsonb

from live_server import live_server, operator_key
from sales_agent.services import Services

pytestmark = pytest.mark.slow

TRIGGER = {"trigger": {"source": "gmail", "gmail_thread_id": "thr-northwind-001"}}
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("observability")


@pytest.fixture(scope="module")
def url(services: Services, workdir: Path) -> Iterator[str]:
    with live_server(services, workdir) as base:
        yield base


@pytest.fixture(scope="module")
def api(services: Services, url: str) -> Iterator[httpx.Client]:
    headers = {"x-api-key": operator_key(services)}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        yield client


def log_lines(workdir: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (workdir / "serve-0.log").read_text().splitlines() if line]


def access_line(workdir: Path, trace_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [e for e in log_lines(workdir) if e["logger"] == "uvicorn.access"]
        found = [e for e in lines if e["trace_id"] == trace_id]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no access log line with trace id {trace_id}")


def test_the_trace_id_comes_from_the_request_and_reaches_the_log(
    api: httpx.Client, url: str, workdir: Path
) -> None:
    request_id = f"req-{uuid.uuid4().hex[:12]}"
    response = api.get("/api/session", headers={"X-Request-ID": request_id})
    assert response.headers["x-request-id"] == request_id
    line = access_line(workdir, request_id)
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/session", 200)
    assert {"time", "message", "client"} <= set(line)

    traced = api.get("/health", headers={"traceparent": TRACEPARENT})
    assert traced.headers["x-request-id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    generated = api.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    # A refused request is traced too.
    refused = httpx.get(f"{url}/api/drafts", headers={"X-Request-ID": "refused-1"})
    assert refused.status_code == 401 and refused.headers["x-request-id"] == "refused-1"
    assert access_line(workdir, "refused-1")["status"] == 401


def test_every_log_line_is_json_and_pii_is_redacted(api: httpx.Client, workdir: Path) -> None:
    api.get(
        "/api/admin/mode",
        params={"who": "priya@northwind-logistics.example"},
        headers={"X-Request-ID": "pii-1"},
    )
    line = access_line(workdir, "pii-1")
    assert "priya@" not in json.dumps(line)
    assert "[EMAIL]" in str(line["path"])
    assert all(
        {"time", "level", "logger", "message", "trace_id"} <= set(e) for e in log_lines(workdir)
    )


def seed_work(services: Services) -> None:
    failing_gate = {
        "status": "FAIL",
        "violations": [
            {"check": "em_dash", "severity": "error", "message": "no em-dashes"},
            {"check": "word_count", "severity": "warning", "message": "long"},
        ],
    }
    with services.pool.connection() as conn:
        for index, (status, gate) in enumerate(
            [
                ("rejected", failing_gate),
                ("sent", {"status": "PASS", "violations": []}),
                ("pending_approval", {"status": "WARN", "violations": []}),
            ]
        ):
            conn.execute(
                "INSERT INTO drafts (thread_id, revision, status, contact_email, subject, body,"
                " gate) VALUES (%s, 1, %s, 'lead@example.com', 's', 'b', %s)",
                [f"metrics:{index}", status, Jsonb(gate)],
            )
        for status in ("success", "success", "error"):
            conn.execute(
                "INSERT INTO runs (run_id, thread_id, assistant_id, kind, status)"
                " VALUES (%s, 'metrics:runs', 'followup', 'start', %s)",
                [uuid.uuid4(), status],
            )


def sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(f"{name}{{{wanted}}}" if labels else name) + r" (\S+)"
    match = re.search(rf"^{pattern}$", text, re.MULTILINE)
    assert match, f"no sample {name} {labels}"
    return float(match[1])


def test_metrics_count_requests_runs_drafts_and_gate_failures(
    api: httpx.Client, url: str, services: Services
) -> None:
    seed_work(services)
    api.get("/api/session")
    api.get(f"/api/drafts/{uuid.uuid4()}")
    httpx.get(f"{url}/api/admin/config")
    text = api.get("/metrics").text

    assert (
        sample(
            text,
            "sales_agent_http_requests_total",
            method="GET",
            route="/api/session",
            status="200",
        )
        >= 1
    )
    assert (
        sample(
            text,
            "sales_agent_http_requests_total",
            method="GET",
            route="/api/admin/config",
            status="401",
        )
        >= 1
    )
    assert 'route="/api/drafts/{' in text and not re.search(
        r'route="/api/drafts/[0-9a-f]{8}-', text
    )
    assert (
        sample(
            text,
            "sales_agent_http_request_duration_seconds_count",
            method="GET",
            route="/api/session",
        )
        >= 1
    )

    with services.pool.connection() as conn:
        drafts = conn.execute("SELECT status, count(*) AS n FROM drafts GROUP BY status").fetchall()
    by_status = {row["status"]: row["n"] for row in drafts}
    assert sample(text, "sales_agent_drafts_created_total") == sum(by_status.values())
    assert sample(text, "sales_agent_drafts_sent_total") == by_status["sent"]
    assert sample(text, "sales_agent_drafts_rejected_total") == by_status["rejected"]
    assert sample(text, "sales_agent_gate_failures_total", check="em_dash") == 1
    assert 'check="word_count"' not in text  # a warning is not a failure
    assert sample(text, "sales_agent_runs", status="error") >= 1
    assert sample(text, "sales_agent_runs", status="cancelled") == 0
    assert sample(text, "sales_agent_metrics_database_up") == 1


def test_a_run_a_request_starts_keeps_its_trace_id_and_service_errors_are_counted(
    api: httpx.Client, url: str, fresh: Services
) -> None:
    assert fresh.sandbox_url is not None
    # One transient Gmail failure: the connector retries it, and the metric counts it.
    fault = {"route": "^/gmail/", "status": 503, "count": 1}
    httpx.post(f"{fresh.sandbox_url}/_sandbox/faults", json=fault).raise_for_status()
    thread_id = api.post("/threads", json={}).json()["thread_id"]
    request_id = f"run-{uuid.uuid4().hex[:12]}"
    done = api.post(
        f"/threads/{thread_id}/runs/wait",
        json={"assistant_id": "followup", "input": TRIGGER},
        headers={"X-Request-ID": request_id},
        timeout=180,
    )
    assert done.status_code == 200, done.text
    with fresh.pool.connection() as conn:
        runs = conn.execute("SELECT trace_id FROM runs WHERE thread_id = %s", [thread_id])
        assert [row["trace_id"] for row in runs] == [request_id]
    text = api.get("/metrics").text
    assert sample(text, "sales_agent_external_api_errors_total", service="gmail", status="503") >= 1
