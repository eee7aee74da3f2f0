"""The sandbox FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI

from sales_agent.sandbox import _admin, _calendar, _drive, _gmail, _gmail_batch, _hubspot
from sales_agent.sandbox._errors import install_error_handlers
from sales_agent.sandbox._faults import FaultPlan, inject_faults
from sales_agent.sandbox._oauth import install_oauth
from sales_agent.sandbox._requests import RequestLog, log_requests
from sales_agent.sandbox.workspace import Workspace

__all__ = ["create_app"]


def create_app(workspace: Workspace | None = None) -> FastAPI:
    """Build an app serving `workspace` (a freshly seeded one by default)."""
    # No docs routes: every unknown path must answer in the emulated service's shape.
    app = FastAPI(title="sales-agent sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.workspace = workspace or Workspace.from_seed()
    app.state.faults = FaultPlan()
    app.state.requests = RequestLog()
    install_error_handlers(app)
    app.middleware("http")(inject_faults)
    # Added last, so it runs first: a call answered by an injected fault is still a call.
    app.middleware("http")(log_requests)
    install_oauth(app)
    for module in (_admin, _gmail, _gmail_batch, _calendar, _drive, _hubspot):
        app.include_router(module.router)
    return app
