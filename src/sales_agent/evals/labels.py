"""The label vocabulary of the datasets, and the one table that maps the reader's legacy names.

The reader of the current agent still emits a few names of its own (`angry_reply` for a
complaint). Scoring maps them here, and only here, to the canonical labels; when the reader
emits the canonical labels this table can go.
"""

from __future__ import annotations

from typing import Final, Literal

from sales_agent.domain import INTENTS as DOMAIN_INTENTS

__all__ = [
    "ACTIONS",
    "INTENTS",
    "LEGACY_INTENT_ALIASES",
    "SAFETY_INTENTS",
    "Action",
    "canonical_intent",
]

INTENTS: Final = DOMAIN_INTENTS
"""Every intent a dataset may label a message with."""

Action = Literal["PROPOSE_CALL", "SEND_ASSET", "SEND_FOLLOWUP", "ACKNOWLEDGE", "CLOSE", "NO_ACTION"]
ACTIONS: Final = (
    "PROPOSE_CALL",
    "SEND_ASSET",
    "SEND_FOLLOWUP",
    "ACKNOWLEDGE",
    "CLOSE",
    "NO_ACTION",
)
"""Every next step a dataset may expect (the current planner knows the first three and the last)."""

SAFETY_INTENTS: Final = ("unsubscribe", "bounce", "complaint", "out_of_office")
"""Intents whose misreading costs most: the report gives their recall and precision."""

LEGACY_INTENT_ALIASES: Final[dict[str, str]] = {
    "angry_reply": "complaint",
}
"""Names the current reader emits that predate the canonical labels -> the canonical label."""


def canonical_intent(label: str | None) -> str | None:
    """The canonical name of an intent label (legacy names mapped, unknown ones kept as is)."""
    if label is None:
        return None
    return LEGACY_INTENT_ALIASES.get(label, label)
