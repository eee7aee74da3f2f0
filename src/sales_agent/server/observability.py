"""Request tracing and HTTP metrics, and the Prometheus `/metrics` route.

`ObservabilityMiddleware` (outermost) gives each request a trace id (from `traceparent` or
`X-Request-ID`, else new), makes it current for everything the request does (log lines, the
run it enqueues: see `sales_agent.trace`) and returns it as `X-Request-ID`; it counts the
request by route template and status and times it.
"""

from __future__ import annotations

import re
import time

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import CollectorRegistry
from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sales_agent.metrics import EXTERNAL_API_ERRORS
from sales_agent.server.ops_metrics import OpsCollector
from sales_agent.server.work_metrics import WorkCollector
from sales_agent.trace import trace_id_from_headers, trace_scope

__all__ = [
    "HTTP_LATENCY",
    "HTTP_REQUESTS",
    "TRACE_HEADER",
    "ObservabilityMiddleware",
    "install_observability",
    "route_template",
]

TRACE_HEADER = "X-Request-ID"

HTTP_REQUESTS = Counter(
    "sales_agent_http_requests",
    "HTTP requests by method, route template and status.",
    ["method", "route", "status"],
    registry=None,
)
HTTP_LATENCY = Histogram(
    "sales_agent_http_request_duration_seconds",
    "HTTP request latency (a stream counts until it ends), by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=None,
)


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/api/drafts/{draft_id}`), never the raw path.

    Raw paths would make a series per id. A request refused before routing (401, 429) is
    matched against the app's documented paths; one that matches none is `unmatched`.
    """
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return path
    app = scope.get("app")
    if not isinstance(app, FastAPI):
        return "unmatched"
    for pattern, template in _templates(app):
        if pattern.match(scope["path"]):
            return template
    return "unmatched"


def _templates(app: FastAPI) -> list[tuple[re.Pattern[str], str]]:
    # Built once per app from its OpenAPI paths (FastAPI keeps its routes behind lazy
    # included-router objects, so the schema is the public list of every template).
    cached: list[tuple[re.Pattern[str], str]] | None = getattr(app.state, "route_templates", None)
    if cached is None:
        cached = [(compile_path(template)[0], template) for template in app.openapi()["paths"]]
        app.state.route_templates = cached
    return cached


class ObservabilityMiddleware:
    """Trace id per request, echoed in `X-Request-ID`; request count and latency."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request inside its trace scope and record it when it ends."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        trace_id = trace_id_from_headers(headers.get("traceparent"), headers.get(TRACE_HEADER))
        status = 500  # what the client gets if the app fails before answering

        async def send_traced(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[TRACE_HEADER] = trace_id
            await send(message)

        started = time.perf_counter()
        with trace_scope(trace_id):
            try:
                await self.app(scope, receive, send_traced)
            finally:
                route = route_template(scope)
                HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
                HTTP_LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)


def _registry(app: FastAPI) -> CollectorRegistry:
    registry = CollectorRegistry()
    for metric in (HTTP_REQUESTS, HTTP_LATENCY, EXTERNAL_API_ERRORS):
        registry.register(metric)
    registry.register(WorkCollector(lambda: app.state.services.pool))
    registry.register(OpsCollector(lambda: app.state.services.pool))
    ProcessCollector(registry=registry)
    return registry


def install_observability(app: FastAPI) -> None:
    """Add the middleware (call last: it must be outermost) and the `/metrics` route."""
    registry = _registry(app)

    @app.get("/metrics", tags=["ops"], response_class=Response)
    def metrics() -> Response:
        """Prometheus metrics (needs a key: Prometheus sends it as a bearer token)."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(ObservabilityMiddleware)
