"""Response bodies checked against the Agent Server's published OpenAPI document.

`fixtures/agent_server_openapi.json` is what `langgraph dev` serves at `/openapi.json`
(langgraph-api as pinned in constraints.txt; it also lists the project's own routes, which
`langgraph.json` mounts beside the platform's). To refresh it, start `langgraph dev` as
tests/e2e/test_studio.py does and save its `/openapi.json` without the `servers` entry.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft202012Validator

__all__ = ["openapi_problems"]

SPEC = Path(__file__).parent / "fixtures" / "agent_server_openapi.json"


def _nullable(node: Any) -> Any:
    # The document mixes OpenAPI 3.0's `nullable: true` into 3.1 schemas; JSON Schema reads
    # it as `type: [..., "null"]`.
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _nullable(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True and isinstance(node.get("type"), str):
        converted["type"] = [node["type"], "null"]
    return converted


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = _nullable(json.loads(SPEC.read_text()))
    return spec


def _schema(method: str, path: str, status: int) -> dict[str, Any]:
    operation = _spec()["paths"][path][method.lower()]
    response = operation["responses"][str(status)]
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


def openapi_problems(response: httpx.Response, path: str) -> str:
    """Where the response's JSON body breaks the schema operation `path` documents ("": none).

    `path` is the document's template, e.g. `/threads/{thread_id}`.
    """
    schema = _schema(response.request.method, path, response.status_code)
    validator = Draft202012Validator({**schema, "components": _spec()["components"]})
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
    if not errors:
        return ""
    found = "; ".join(f"{'/'.join(map(str, e.path)) or '(body)'}: {e.message}" for e in errors[:5])
    return f"{response.request.method} {path}: {found}"
