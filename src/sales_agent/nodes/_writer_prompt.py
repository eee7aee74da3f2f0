"""The model writer's messages, filled from the prompt files and a `WriterRequest`.

Text that other people wrote (the thread, CRM fields, asset names) goes only inside the
task's `<data>` blocks, and can never close a block early: a `</data>` inside it is
defused, so an email cannot smuggle text out of its block into the instructions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sales_agent.domain.slots import format_slot_list
from sales_agent.nodes._writer_checks import MIN_VOICE_PHRASES
from sales_agent.nodes.offline.writer import first_name_of
from sales_agent.policy.gate_content import MAX_WORDS
from sales_agent.prompts import load_prompt

if TYPE_CHECKING:
    from sales_agent.nodes.model_writer import WriterRequest

__all__ = ["defused", "retry_prompt", "system_prompt", "task_prompt"]

_DATA_TAG = re.compile(r"<(/?)\s*data\b", re.IGNORECASE)
_NONE = "(none)"
_SUB = "  "  # a list nested under a bullet of the system prompt


def defused(text: str) -> str:
    """`text` that can never close or open a `<data>` block of a prompt."""
    return _DATA_TAG.sub(lambda m: f"&lt;{m.group(1)}data", text)


def _bullets(items: Iterable[str], indent: str = "") -> str:
    lines = [f"{indent}- {item}" for item in items]
    return "\n".join(lines) if lines else f"{indent}{_NONE}"


def _fields(pairs: Iterable[tuple[str, object]]) -> str:
    return _bullets(f"{name}: {value}" for name, value in pairs if value not in (None, "", ()))


def greeting_name(request: WriterRequest) -> str:
    """The name the greeting uses: the request's, else the lead's first name."""
    return request.greeting_name or first_name_of(request.identity)


def system_prompt(request: WriterRequest, phrases: Sequence[str], max_tool_rounds: int) -> str:
    """The writer's instructions: the plan, the operator's voice and the hard rules."""
    voice = request.voice
    rules = voice.learned.rules if voice.learned else ()
    habits = [f"{rule.kind}: {rule.rule}" for rule in rules]
    habits += [f'avoid: "{phrase}"' for phrase in voice.avoid_phrases]
    return load_prompt("writer_system").format(
        operator_name=request.operator_name,
        max_tool_rounds=max_tool_rounds,
        action=request.action,
        tone=request.tone,
        suggested_cta=request.suggested_cta or "one question that moves to a next step",
        plan_reason=request.plan_reason or _NONE,
        greeting=voice.greeting.format(first_name=greeting_name(request)),
        sign_off=voice.sign_off,
        signature=voice.signature,
        voice_phrases=_bullets((f'"{phrase}"' for phrase in phrases), _SUB),
        min_voice_phrases=MIN_VOICE_PHRASES,
        voice_habits=_bullets(habits, _SUB),
        forbidden_words=", ".join(voice.forbidden_words) or _NONE,
        max_words=voice.max_words,
        max_body_words=MAX_WORDS,
    )


def _lead(request: WriterRequest) -> str:
    who = request.identity
    name = " ".join(n for n in (who.first_name, who.last_name) if n)
    return _fields(
        [
            ("email", who.email),
            ("name", name),
            ("job title", who.job_title),
            ("company", who.company_name),
            ("company domain", who.company_domain),
            ("industry", who.industry),
            ("stage", who.stage),
            ("employees", who.employees),
            ("HubSpot contact id", who.contact_id),
            ("HubSpot company id", who.company_id),
        ]
    )


def _thread(request: WriterRequest) -> str:
    thread = request.thread
    if thread is None:
        return "(no thread: this is a first contact)"
    return _fields(
        [
            ("subject", thread.subject),
            ("Gmail thread id", thread.gmail_thread_id),
            ("intent", thread.intent),
            ("sentiment", thread.sentiment),
            ("key topics", ", ".join(thread.key_topics)),
            ("the lead's point, in their words", thread.detail),
            ("last message at", thread.last_message_at),
            ("summary", thread.summary),
        ]
    )


def task_prompt(request: WriterRequest) -> str:
    """The request: the lead, the thread, the slots and assets as data, and any notes."""
    slots = format_slot_list(request.slots, request.timezone) if request.slots else _NONE
    assets = _bullets(
        f"{a.name} ({a.asset_type})" + (f": {a.url}" if a.url else "") for a in request.assets
    )
    return load_prompt("writer_task").format(
        lead=defused(_lead(request)),
        thread=defused(_thread(request)),
        timezone=request.timezone,
        slots=slots,
        assets=defused(assets),
        operator_name=request.operator_name,
        revision_notes=defused(_bullets(request.revision_notes)),
    )


def retry_prompt(errors: Sequence[str]) -> str:
    """What the model hears when its draft was refused."""
    return load_prompt("writer_retry").format(errors=_bullets(errors))
