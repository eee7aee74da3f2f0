"""FastAPI dependencies shared by the sandbox routers."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from sales_agent.sandbox.workspace import Workspace

__all__ = ["WorkspaceDep", "get_workspace"]


def get_workspace(request: Request) -> Workspace:
    """Return the workspace of the server handling this request."""
    return cast(Workspace, request.app.state.workspace)


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]
