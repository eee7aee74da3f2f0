"""SQL injection on every string parameter of the API: no 5xx, no data from another query.

Every operation of the server's own OpenAPI document is called with each of its string
path and query parameters set, in turn, to classic injection payloads (the others get a
plain value). A canary in a table no route lists by these parameters, and every API key's
stored hash, must never come back, and every table must still be there afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from live_server import live_server
from sales_agent.policy.api_keys import create_api_key
from sales_agent.services import Services

pytestmark = pytest.mark.slow

PAYLOADS = (
    "' OR '1'='1",
    "x'; DROP TABLE drafts; --",
    "1' UNION SELECT key_hash FROM api_keys --",
    "%' OR 1=1 --",
    "a\\'; SELECT pg_sleep(0); --",
)
CANARY = "canary-Vq73-not-for-any-response"
_TABLES = "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"


@pytest.fixture(scope="module")
def api(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with services.pool.connection() as conn:
        key = create_api_key(conn, role="admin", name="injection-tests", actor="tests").key
        conn.execute(
            "INSERT INTO webhook_events (source, event_id) VALUES ('hubspot', %s)", [CANARY]
        )
    with (
        live_server(services, tmp_path_factory.mktemp("injection")) as url,
        httpx.Client(base_url=url, headers={"x-api-key": key}, timeout=30) as client,
    ):
        yield client


def _string_parameters(operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        parameter
        for parameter in operation.get("parameters", [])
        if parameter.get("in") in ("path", "query")
        and parameter.get("schema", {}).get("type", "string") == "string"
    ]


def _calls(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, str], str]]:
    """(method, path with values, query, the parameter under attack) for every payload."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            parameters = operation.get("parameters", [])
            for target in _string_parameters(operation):
                for payload in PAYLOADS:
                    values = {
                        p["name"]: "plain" for p in parameters if p.get("in") in ("path", "query")
                    }
                    values[target["name"]] = payload
                    filled = path
                    query = {}
                    for parameter in parameters:
                        name = parameter["name"]
                        if parameter.get("in") == "path":
                            filled = filled.replace("{" + name + "}", quote(values[name], safe=""))
                        elif parameter.get("in") == "query" and (
                            parameter.get("required") or name == target["name"]
                        ):
                            query[name] = values[name]
                    yield method.upper(), filled, query, f"{method} {path} {target['name']}"


def test_no_injection_breaks_a_route_or_leaks_another_querys_data(
    api: httpx.Client, services: Services
) -> None:
    document = api.get("/openapi.json").json()
    with services.pool.connection() as conn:
        tables_before = conn.execute(_TABLES).fetchone()
        hashes = [row["key_hash"] for row in conn.execute("SELECT key_hash FROM api_keys")]
    calls = list(_calls(document))
    assert len(calls) > 50  # the document has many string parameters: all of them are tried
    failures = []
    for method, path, query, label in calls:
        body = {} if method in ("POST", "PUT", "PATCH") else None
        response = api.request(method, path, params=query, json=body)
        text = response.text
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")
        if CANARY in text or any(digest in text for digest in hashes):
            failures.append(f"{label}: another query's data in the response")
    assert failures == []
    with services.pool.connection() as conn:
        assert conn.execute(_TABLES).fetchone() == tables_before
        assert conn.execute("SELECT count(*) AS n FROM drafts").fetchone() is not None
