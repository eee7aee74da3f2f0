"""Injected failures (429 with Retry-After, 5xx) so tests can prove the clients' retries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import cast

from fastapi import Request, Response
from pydantic import BaseModel, Field

from sales_agent.sandbox._errors import error_response

__all__ = ["Fault", "FaultPlan", "inject_faults"]


class Fault(BaseModel):
    """Answer the next `times` requests whose path starts with `path` with `status`."""

    path: str = Field(description="Path prefix, for example /gmail/v1/users/me/threads")
    method: str = Field(default="*", description="HTTP method, or * for any")
    status: int = Field(ge=400, le=599)
    retry_after: int | None = Field(default=None, ge=0, description="Retry-After seconds")
    times: int = Field(default=1, ge=1)


@dataclass
class FaultPlan:
    """The faults still to be served, first match wins."""

    pending: list[Fault] = field(default_factory=list)

    def take(self, method: str, path: str) -> Fault | None:
        """Return the fault for this request, if any, counting it as served."""
        for index, fault in enumerate(self.pending):
            if path.startswith(fault.path) and fault.method in ("*", method):
                if fault.times == 1:
                    del self.pending[index]
                else:
                    self.pending[index] = fault.model_copy(update={"times": fault.times - 1})
                return fault
        return None


async def inject_faults(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Serve a planned fault instead of the route (HTTP middleware)."""
    plan = cast(FaultPlan, request.app.state.faults)
    fault = plan.take(request.method, request.url.path)
    if fault is None:
        return await call_next(request)
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
    return error_response(
        request.url.path, fault.status, f"Injected fault ({fault.status})", headers=headers
    )
