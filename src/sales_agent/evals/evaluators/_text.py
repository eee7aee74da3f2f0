"""Text helpers the evaluators share: the draft's body without greeting and sign-off."""

from __future__ import annotations

import re

from sales_agent.evals.trace import Trace

__all__ = ["contains", "core_text", "template_pattern"]

_PLACEHOLDER = re.compile(r"\\\{[a-z_]+\\\}")


def template_pattern(template: str) -> re.Pattern[str]:
    """A regex for a voice template: its `{placeholders}` match any text, spacing is loose."""
    escaped = re.escape(template.strip())
    escaped = _PLACEHOLDER.sub(".+?", escaped)
    escaped = re.sub(r"(\\ )+", r"\\s+", escaped)
    return re.compile(escaped, re.IGNORECASE | re.DOTALL)


def contains(text: str, phrase: str) -> bool:
    """`phrase` in `text`, case and spacing insensitive."""
    return _squash(phrase) in _squash(text)


def _squash(value: str) -> str:
    return " ".join(value.split()).casefold()


def core_text(trace: Trace) -> str:
    """The draft's body without its first line (the greeting) and from the sign-off on."""
    draft = trace.outputs.draft
    if draft is None:
        return ""
    lines = draft.body.strip().splitlines()
    if lines and len(lines[0].split()) <= 4 and lines[0].rstrip().endswith((",", "!")):
        lines = lines[1:]
    sign_off = trace.context.voice.sign_off.strip().casefold()
    for index in range(len(lines) - 1, -1, -1):
        if sign_off and lines[index].strip().casefold() == sign_off:
            lines = lines[:index]
            break
    return "\n".join(lines).strip()


NO_ASK_ACTIONS = frozenset({"ACKNOWLEDGE", "CLOSE"})
NO_ASK = "a close or an acknowledgement makes no ask"


def asks_nothing(trace: Trace) -> bool:
    """Whether the plan wrote a letter that must ask nothing (a close, an acknowledgement)."""
    return trace.outputs.action in NO_ASK_ACTIONS
