"""The FastAPI application: thread API, /health and /ready.

The lifespan opens the process's services (database, connectors, sandbox when needed) and
compiles the graph with the Postgres checkpointer once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sales_agent import __version__
from sales_agent.config import Settings, get_settings
from sales_agent.graph.runs import compile_followup
from sales_agent.server.errors import install_error_handlers
from sales_agent.server.thread_service import ThreadService
from sales_agent.server.threads import router as threads_router
from sales_agent.services import Services, open_services

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; services open when it starts and close when it stops."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with open_services(settings or get_settings()) as services:
            app.state.services = services
            app.state.threads = ThreadService(services, compile_followup(services))
            yield

    app = FastAPI(title="sales-agent", version=__version__, lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(threads_router)

    @app.get("/health", tags=["ops"])
    async def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/ready", tags=["ops"], response_model=None)
    async def ready() -> JSONResponse | dict[str, str]:
        """Readiness: the database answers."""
        services: Services = app.state.services
        try:
            await run_in_threadpool(_ping, services)
        except Exception as exc:  # any failure means not ready; the reason goes to the caller
            return JSONResponse(
                status_code=503, content={"status": "unavailable", "database": str(exc)}
            )
        return {"status": "ready"}

    @app.get("/info", tags=["ops"])
    async def info() -> dict[str, object]:
        """Server information, as langgraph-sdk reads it."""
        return {"version": __version__, "flags": {"assistants": True, "crons": False}}

    return app


def _ping(services: Services) -> None:
    with services.pool.connection(timeout=2) as conn:
        conn.execute("SELECT 1")
