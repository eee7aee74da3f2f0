"""The draft writer with a model: a bounded tool-calling loop over the read-only tools.

The model may read (thread, CRM, calendar, Drive) for at most `max_tool_rounds` turns (a
field of the run context) and answers by calling `submit_draft`, whose arguments are
validated by pydantic and then by the gate's own text checks plus the voice check. A
refused draft gets one retry with the reasons; a second refusal, too many tool rounds or a
model failure return no draft and a `fallback_reason`, and the caller uses the offline
writer. The recipients never come from the model: they are the request's, so no model
output can address anyone else.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Literal

from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.tools import BaseTool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sales_agent.domain import Asset, Draft, ProposedSlot, ResolvedIdentity, ThreadContext
from sales_agent.domain.voice import VoiceProfile
from sales_agent.graph.context import FollowupContext
from sales_agent.nodes._writer_checks import draft_errors, voice_phrases
from sales_agent.nodes._writer_prompt import retry_prompt, system_prompt, task_prompt
from sales_agent.nodes.writer_trace import TraceBuilder, WriterTrace
from sales_agent.policy.gate_context import GateContext, PlannedTone
from sales_agent.tools.submit_draft import SUBMIT_DRAFT, SUBMIT_TOOL, DraftSubmission

__all__ = [
    "MAX_ATTEMPTS",
    "WriterRequest",
    "WriterResult",
    "write_with_model",
]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # the first draft and one retry with the validation errors
_NO_SUBMIT = f"you answered in plain text; call {SUBMIT_TOOL} with the subject and the body"


class WriterRequest(BaseModel):
    """Everything the model writer needs: the lead, what was read, the plan, the voice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    identity: ResolvedIdentity = Field(description="The lead, from the CRM when known.")
    to: tuple[str, ...] = Field(
        min_length=1, description="The recipients, from the thread or the CRM; never the model's."
    )
    greeting_name: str | None = Field(
        default=None, description="The name to greet; None: the lead's first name."
    )
    operator_name: str
    operator_email: str
    voice: VoiceProfile
    timezone: str = Field(description="The operator's IANA time zone, for the slot list.")
    action: Literal["SEND_FOLLOWUP", "PROPOSE_CALL", "SEND_ASSET"] = Field(
        description="The plan's action (NO_ACTION never reaches the writer)."
    )
    tone: PlannedTone = Field(description="The plan's tone.")
    suggested_cta: str | None = Field(default=None, description="The plan's one ask.")
    plan_reason: str = Field(default="", description="Why the planner chose this step.")
    thread: ThreadContext | None = None
    slots: tuple[ProposedSlot, ...] = ()
    assets: tuple[Asset, ...] = ()
    revision_notes: tuple[str, ...] = Field(
        default=(), description="Gate violations or operator feedback on the previous version."
    )
    link_allowed_domains: tuple[str, ...] = Field(
        default=(), description="Domains a link may point to (settings.link_allowed_domains)."
    )
    gate_context: GateContext | None = Field(
        default=None,
        description="The quality gate's context, when the caller has it: the writer then "
        "checks other clients' names and other people's details too. None: built from here.",
    )


class WriterResult(BaseModel):
    """A validated draft, or None and why (the caller then writes offline), with the trace."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    draft: Draft | None
    fallback_reason: str | None = None
    trace: WriterTrace


def _gate_context(request: WriterRequest) -> GateContext:
    if request.gate_context is not None:
        return request.gate_context
    return GateContext(
        operator_email=request.operator_email.lower(),
        operator_name=request.operator_name,
        recipient=request.identity,
        allowed_recipients=frozenset(address.lower() for address in request.to),
        planned_tone=request.tone,
        forbidden_words=request.voice.forbidden_words,
        link_allowed_domains=request.link_allowed_domains,
    )


def _schema_errors(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}" for e in exc.errors()]


class _Loop:
    """One run of the loop: the conversation, the tools and the trace."""

    def __init__(self, tools: Sequence[BaseTool], config: RunnableConfig | None) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.config = config
        self.messages: list[BaseMessage] = []
        self.trace = TraceBuilder()

    def say(self, message: BaseMessage) -> None:
        self.messages.append(message)
        self.trace.message(message)

    def ask(self, model: Runnable[LanguageModelInput, AIMessage]) -> AIMessage:
        started = time.perf_counter()
        self.trace.model_calls += 1
        reply = model.invoke(self.messages, config=self.config)
        self.messages.append(reply)
        self.trace.message(reply, since=started)
        return reply

    def run_tools(self, calls: Sequence[ToolCall]) -> None:
        self.trace.tool_rounds += 1
        for call in calls:
            started = time.perf_counter()
            result = self._run_tool(call)
            self.messages.append(result)
            self.trace.tool(call["name"], call["args"], result, started)

    def _run_tool(self, call: ToolCall) -> ToolMessage:
        call_id, name = call["id"] or "", call["name"]
        tool = self.tools.get(name)
        if tool is None:
            known = ", ".join([*self.tools, SUBMIT_TOOL])
            text = f"There is no tool named {name!r}. The tools are: {known}."
            return ToolMessage(text, tool_call_id=call_id, name=name, status="error")
        try:
            result = tool.invoke(call, config=self.config)
        except Exception as exc:  # any tool failure is the model's to work around, not ours
            logger.warning("writer tool %s failed: %s", name, exc)
            text = f"{name} failed ({type(exc).__name__}: {exc}). Fix the arguments or go on."
            return ToolMessage(text, tool_call_id=call_id, name=name, status="error")
        if isinstance(result, ToolMessage):
            return result
        return ToolMessage(str(result), tool_call_id=call_id, name=name)

    def refuse(self, reply: AIMessage, errors: list[str]) -> None:
        """Answer every call of the refused turn, so the conversation stays well formed."""
        feedback = retry_prompt(errors)
        if not reply.tool_calls:
            self.say(HumanMessage(feedback))
        for call in reply.tool_calls:
            text = (
                feedback if call["name"] == SUBMIT_TOOL else f"Not run: {SUBMIT_TOOL} came first."
            )
            self.say(ToolMessage(text, tool_call_id=call["id"] or "", status="error"))

    def result(self, draft: Draft | None, reason: str | None = None) -> WriterResult:
        return WriterResult(draft=draft, fallback_reason=reason, trace=self.trace.trace())


def _check(
    reply: AIMessage, request: WriterRequest, ctx: GateContext, phrases: Sequence[str]
) -> tuple[Draft | None, list[str]]:
    """The submitted draft if it passes, else None and every reason it does not."""
    submits = [call for call in reply.tool_calls if call["name"] == SUBMIT_TOOL]
    if not submits:
        return None, [_NO_SUBMIT]
    try:
        submission = DraftSubmission.model_validate(submits[0]["args"])
    except ValidationError as exc:
        return None, _schema_errors(exc)
    draft = Draft(to=request.to, subject=submission.subject.strip(), body=submission.body.strip())
    errors = draft_errors(draft, ctx=ctx, phrases=phrases)
    return (None, errors) if errors else (draft, [])


def write_with_model(
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    request: WriterRequest,
    *,
    max_tool_rounds: int = FollowupContext.max_tool_rounds,
    max_attempts: int = MAX_ATTEMPTS,
    config: RunnableConfig | None = None,
) -> WriterResult:
    """Draft with `model` over the read-only `tools`; `draft` is None when it must fall back.

    Never raises for the model's sake: a failing call, a loop that will not end and output
    that stays invalid all end with a `fallback_reason`.
    """
    loop = _Loop(tools, config)
    phrases = voice_phrases(request.voice)
    ctx = _gate_context(request)
    loop.say(SystemMessage(system_prompt(request, phrases, max_tool_rounds)))
    loop.say(HumanMessage(task_prompt(request)))
    try:
        bound = model.bind_tools([*tools, SUBMIT_DRAFT])
    except NotImplementedError:
        return loop.result(None, f"the model {type(model).__name__} cannot call tools")
    while True:
        try:
            reply = loop.ask(bound)
        except Exception as exc:  # provider errors vary by integration; all mean "write offline"
            logger.warning("writer model call failed: %s", exc)
            return loop.result(None, f"model error: {type(exc).__name__}: {exc}")
        reads = [call for call in reply.tool_calls if call["name"] != SUBMIT_TOOL]
        if reads and len(reads) == len(reply.tool_calls):
            if loop.trace.tool_rounds >= max_tool_rounds:
                return loop.result(None, f"too many tool rounds (limit {max_tool_rounds})")
            loop.run_tools(reads)
            continue
        draft, errors = _check(reply, request, ctx, phrases)
        if draft is not None:
            return loop.result(draft)
        loop.trace.validation(errors)
        if loop.trace.validation_failures >= max_attempts:
            reason = f"invalid draft after {max_attempts} attempts: {'; '.join(errors)}"
            return loop.result(None, reason)
        loop.refuse(reply, errors)
