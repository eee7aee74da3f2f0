"""A run's request body checked once, before anything runs: what to do and with which context.

Three kinds of run: a start (`input` is a trigger), a resume (`command.resume`), and a
continuation (no input, or `{}`): the graph carries on from the thread's latest checkpoint,
or from `checkpoint_id`, which is how a fork made with `as_node: "__copy__"` resumes instead
of starting again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from sales_agent.domain.approval import InvalidResumeError, parse_resume
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupInput
from sales_agent.jobs.execute import CONTEXT
from sales_agent.jobs.run_rows import RunKind
from sales_agent.server.errors import ApiError
from sales_agent.server.schemas import RunCreate

__all__ = ["RunRequest", "error_json", "validate_run"]


@dataclass(frozen=True)
class RunRequest:
    """A validated run: what to do (start, resume or continue) and with which context.

    A continuation is a `start` without input.
    """

    kind: RunKind
    graph_input: dict[str, Any] | None
    command: dict[str, Any] | None
    context: FollowupContext
    context_json: dict[str, Any]
    checkpoint_id: str | None = None

    @property
    def continues(self) -> bool:
        """True for a run that carries on from a checkpoint rather than taking new input."""
        return self.kind == "start" and self.graph_input is None


def error_json(exc: BaseException) -> dict[str, str]:
    """A run's error as the platform reports it."""
    return {"error": type(exc).__name__, "message": str(exc)}


def _checkpoint_id(body: RunCreate) -> str | None:
    if body.checkpoint_id:
        return body.checkpoint_id
    checkpoint = body.checkpoint or {}
    found = checkpoint.get("checkpoint_id")
    return found if isinstance(found, str) and found else None


def validate_run(body: RunCreate) -> RunRequest:
    """Check a run's input or command and its context; 422 with the reason otherwise."""
    if body.command is not None and body.input:
        raise ApiError(422, "invalid_run", "send either input or command, not both")
    try:
        context: FollowupContext = CONTEXT.validate_python(body.context or {})
    except ValidationError as exc:
        raise ApiError(422, "invalid_context", str(exc)) from None
    checkpoint_id = _checkpoint_id(body)
    context_json = body.context or {}
    if body.command is not None:
        # Validated here: once delivered, a resume value sticks to the interrupt.
        try:
            parse_resume(body.command.resume)
        except InvalidResumeError as exc:
            raise ApiError(422, "invalid_resume", str(exc)) from None
        command = {"resume": body.command.resume}
        return RunRequest("resume", None, command, context, context_json, checkpoint_id)
    if not body.input:
        # No input: carry on from the checkpoint (a fork), never start the graph again.
        return RunRequest("start", None, None, context, context_json, checkpoint_id)
    try:
        graph_input = FollowupInput.model_validate(body.input)
    except ValidationError as exc:
        raise ApiError(422, "invalid_input", str(exc)) from None
    as_json = graph_input.model_dump(mode="json", exclude_none=True)
    return RunRequest("start", as_json, None, context, context_json, checkpoint_id)
