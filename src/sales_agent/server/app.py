"""The FastAPI application: thread API, /health and /ready.

The lifespan opens the process's services (database, connectors, sandbox when needed) and
compiles the graph with the Postgres checkpointer once.

One convention for every route (here, in `server/` and in `server/admin/`): a route is a
plain `def`, which FastAPI runs in its thread pool, so the blocking database and connector
calls it makes never hold up the event loop. A route is `async def` only when it truly
awaits (reading a raw request body, streaming server-sent events, waiting between polls),
and then every blocking call in it goes through `starlette.concurrency.run_in_threadpool`.
Dependencies follow the same rule. `tests/unit/test_route_convention.py` checks it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from langgraph.version import __version__ as langgraph_version

from sales_agent import __version__
from sales_agent.config import Settings, get_settings
from sales_agent.jobs.followup_runs import compile_followup
from sales_agent.jobs.heartbeat import worker_alive
from sales_agent.jobs.worker import in_process_worker
from sales_agent.server.admin import router as admin_router
from sales_agent.server.auth import install_auth
from sales_agent.server.body_limit import BodyLimitMiddleware
from sales_agent.server.browser_clients import PlainTextJsonMiddleware, install_cors
from sales_agent.server.email_events_api import router as email_events_router
from sales_agent.server.errors import (
    DATABASE_UNAVAILABLE,
    UnhandledErrorMiddleware,
    install_error_handlers,
)
from sales_agent.server.google_auth import router as google_auth_router
from sales_agent.server.inbox_api import router as inbox_api_router
from sales_agent.server.inbox_page import router as inbox_page_router
from sales_agent.server.json_depth import JsonDepthMiddleware
from sales_agent.server.observability import install_observability
from sales_agent.server.run_service import RunService
from sales_agent.server.runs import router as runs_router
from sales_agent.server.sequences import router as sequences_router
from sales_agent.server.session import router as session_router
from sales_agent.server.spec_routes import router as spec_router
from sales_agent.server.store_api import router as store_router
from sales_agent.server.stories import router as stories_router
from sales_agent.server.thread_service import ThreadService
from sales_agent.server.threads import router as threads_router
from sales_agent.server.unsubscribe import router as unsubscribe_router
from sales_agent.server.webhooks import router as webhooks_router
from sales_agent.services import Services, open_services

__all__ = ["READY_BEAT_SECONDS", "create_app"]

logger = logging.getLogger(__name__)

READY_BEAT_SECONDS = 30.0
"""/ready wants a worker heartbeat this recent (workers beat every 10 s by default)."""


def create_app(
    settings: Settings | None = None, *, worker: bool = True, thread_api: bool = True
) -> FastAPI:
    """Build the app; services open when it starts and close when it stops.

    `worker` runs a job worker in the app's event loop (`serve --no-worker` leaves the
    queue to separate `sales-agent worker` processes). `thread_api=False` leaves out the
    thread API and `/info`, which LangGraph's own server provides under Studio.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with open_services(settings or get_settings()) as services:
            app.state.services = services
            app.state.threads = ThreadService(services, compile_followup(services))
            app.state.runs = RunService(app.state.threads)
            async with in_process_worker(services, enabled=worker):
                yield

    app = FastAPI(title="sales-agent", version=__version__, lifespan=lifespan)
    install_error_handlers(app)
    if thread_api:
        app.include_router(threads_router)
        app.include_router(runs_router)
        app.include_router(store_router)
    app.include_router(webhooks_router)
    app.include_router(inbox_api_router)
    app.include_router(email_events_router)
    app.include_router(unsubscribe_router)
    app.include_router(inbox_page_router)
    app.include_router(stories_router)
    app.include_router(sequences_router)
    app.include_router(session_router)
    app.include_router(admin_router)
    app.include_router(google_auth_router)
    app.include_router(spec_router)
    # Innermost: a body is read once more, to check its nesting, only for callers let in.
    app.add_middleware(JsonDepthMiddleware)
    app.add_middleware(PlainTextJsonMiddleware)  # outside the depth check: it reads them too
    install_auth(app)  # every route needs a key but the open ones (see server/auth.py)
    # Outside auth: a preflight carries no key, and a refusal still reaches the browser.
    install_cors(app, (settings or get_settings()).cors_origins)
    # Before auth: an oversized body is refused without a key lookup.
    max_bytes = (settings or get_settings()).max_body_bytes
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_bytes)
    # Inside the tracing, outside the rest: any unexpected failure answers the JSON shape.
    app.add_middleware(UnhandledErrorMiddleware)
    install_observability(app)  # last, so outermost: traces and counts refusals too

    @app.get("/health", tags=["ops"])
    def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/ready", tags=["ops"], response_model=None)
    def ready() -> JSONResponse | dict[str, str]:
        """Readiness: the database answers and a worker beat in the last 30 seconds."""
        services: Services = app.state.services
        try:
            alive = _ping(services)
        except Exception as exc:  # any failure means not ready; the reason goes to the log
            # No key is needed here: the driver's text (host, user, database) stays out.
            logger.warning("/ready: %s: %s", DATABASE_UNAVAILABLE, exc)
            return JSONResponse(
                status_code=503,
                content={"status": "unavailable", "database": DATABASE_UNAVAILABLE},
            )
        if not alive:
            return JSONResponse(
                status_code=503,
                content={"status": "unavailable", "worker": "no worker heartbeat in 30 s"},
            )
        return {"status": "ready"}

    if thread_api:

        @app.get("/info", tags=["ops"])
        def info() -> dict[str, object]:
            """Server information, as langgraph-sdk reads it."""
            return {
                "version": __version__,
                "langgraph_py_version": langgraph_version,
                "flags": {"assistants": True, "crons": False, "langsmith": False},
                "metadata": {},
            }

    return app


def _ping(services: Services) -> bool:
    """The database answers (or raises); True when a worker beat recently."""
    with services.pool.connection(timeout=2) as conn:
        return worker_alive(conn, within=READY_BEAT_SECONDS)
