"""The app `langgraph.json` mounts into `langgraph dev` and LangGraph Platform (`http.app`).

Our routes without our thread API: the platform serves `/assistants`, `/threads` and `/runs`
itself (on the graphs of `graph/registry.py`, with its own checkpointer), and `/info`,
`/ok`, `/docs`, `/openapi.json` and `/metrics` come before any custom route there, so our
`/metrics` is only reachable under `sales-agent serve`. The lifespan is `serve`'s: it opens
our services (database, connectors, an in-process worker) next to the platform's runtime;
the inbox resumes threads through our own Postgres-checkpointed copy of the graph, never
through the exported one.

The platform (langgraph_api/server.py) turns a custom app's middleware into middleware
around every route, its own included. Ours (observability, body limit, auth) would then ask
Studio for an API key on `/assistants/search`, so `OwnRoutesOnly` runs it for requests one
of our routes answers and passes the rest straight through.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from sales_agent.server.app import create_app

__all__ = ["PLATFORM_PATHS", "OwnRoutesOnly", "app", "create_studio_app"]

PLATFORM_PATHS = frozenset({"/ok", "/info", "/docs", "/openapi.json", "/metrics"})
"""Paths the platform answers before any custom route (langgraph_api/api/__init__.py)."""


class OwnRoutesOnly:
    """Runs `middleware` around the app for requests `routes` match; others skip it."""

    def __init__(
        self, app: ASGIApp, *, routes: Sequence[BaseRoute], middleware: Sequence[Middleware]
    ) -> None:
        self.app = app
        self.routes = tuple(routes)
        guarded = app
        for cls, args, kwargs in reversed(middleware):  # the first is outermost, as Starlette
            guarded = cls(guarded, *args, **kwargs)
        self.guarded = guarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send our routes' requests through the middleware, the platform's around it."""
        if scope["type"] == "http" and self.ours(scope):
            await self.guarded(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def ours(self, scope: Scope) -> bool:
        """One of our routes matches the path (a wrong method counts: it answers 405)."""
        return any(route.matches(scope)[0] is not Match.NONE for route in self.routes)


def create_studio_app() -> FastAPI:
    """`serve`'s app without the thread API, its middleware limited to its own routes."""
    studio = create_app(thread_api=False)
    own = [r for r in studio.routes if getattr(r, "path", None) not in PLATFORM_PATHS]
    middleware = list(studio.user_middleware)
    studio.user_middleware = [Middleware(OwnRoutesOnly, routes=own, middleware=middleware)]
    return studio


app = create_studio_app()
