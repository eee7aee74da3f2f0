"""The HTTP layer's conventions, read from the app itself (no database, no server).

- every inbox route declares its response model, so `/openapi.json` says what it returns;
- a route (or dependency) is `async def` only if it awaits: blocking work belongs to plain
  `def` routes, which FastAPI runs in its thread pool (see `server/app.py`).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from inbox_contract import DETAIL_KEYS, LIST_KEYS, REJECTION_KEYS
from sales_agent.config import load_settings
from sales_agent.server.app import create_app


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(load_settings(_env_file=None), worker=False)


def _returns(openapi: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """The component schema a route's 200 answer refers to."""
    content = openapi["paths"][path][method]["responses"]["200"]["content"]
    ref = content["application/json"]["schema"].get("$ref")
    assert ref, f"{method.upper()} {path} declares no response model"
    schema: dict[str, Any] = openapi["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


def test_the_openapi_document_says_what_each_inbox_route_returns(app: FastAPI) -> None:
    openapi = app.openapi()
    listed = _returns(openapi, "get", "/api/drafts")
    assert set(listed["properties"]) == {"drafts", "page", "page_size", "total"}
    draft_ref = listed["properties"]["drafts"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert set(openapi["components"]["schemas"][draft_ref]["properties"]) == LIST_KEYS

    detail = _returns(openapi, "get", "/api/drafts/{draft_id}")
    assert set(detail["properties"]) == DETAIL_KEYS
    for decision in ("approve", "edit", "reject", "respond"):
        assert _returns(openapi, "post", f"/api/drafts/{{draft_id}}/{decision}") == detail
    rejection = _returns(openapi, "get", "/api/drafts/{draft_id}/rejection")
    assert set(rejection["properties"]) == REJECTION_KEYS
    # The times keep their format: a date-time string.
    assert detail["properties"]["created_at"] == {
        "type": "string",
        "format": "date-time",
        "title": "Created At",
    }


def _dependencies(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _dependencies(sub)


def _awaits(function: Callable[..., Any]) -> bool:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    [definition] = tree.body
    assert isinstance(definition, ast.AsyncFunctionDef)
    # The function's own body, not functions nested in it.
    nodes = list(ast.walk(definition))
    nested = {
        id(inner)
        for node in nodes
        if node is not definition and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
    }
    return any(
        isinstance(node, ast.Await | ast.AsyncFor | ast.AsyncWith) and id(node) not in nested
        for node in nodes
    )


def test_an_async_route_or_dependency_always_awaits(app: FastAPI) -> None:
    # FastAPI keeps included routers' routes behind lazy contexts: walk them all.
    contexts = iter_route_contexts(app.routes)
    routes = [c.original_route for c in contexts if isinstance(c.original_route, APIRoute)]
    assert len(routes) > 40
    not_awaiting = sorted(
        f"{function.__module__}.{function.__qualname__}"
        for route in routes
        for function in (route.endpoint, *_dependencies(route.dependant))
        if inspect.iscoroutinefunction(function) and not _awaits(function)
    )
    # Each of these runs on the event loop without awaiting anything: blocking work there
    # stops every other request. Make it a plain `def` (FastAPI runs it in a thread).
    assert not_awaiting == []
