"""The NextStepPlannerAgent's decision and its vocabulary."""

from __future__ import annotations

import enum
from datetime import date
from typing import Literal

from pydantic import Field

from sales_agent.domain._model import Frozen
from sales_agent.domain.assets import Asset

__all__ = ["Level", "NextStepPlan", "PlanAction", "Risk", "Tone"]


class PlanAction(enum.StrEnum):
    """What the planner decided to do for this lead."""

    SEND_FOLLOWUP = "SEND_FOLLOWUP"
    PROPOSE_CALL = "PROPOSE_CALL"
    SEND_ASSET = "SEND_ASSET"
    ACKNOWLEDGE = "ACKNOWLEDGE"
    """A short acknowledgement, no ask for a meeting (the lead said 'not now')."""
    CLOSE = "CLOSE"
    """A two-line courteous close, no pitch (the lead said no)."""
    NO_ACTION = "NO_ACTION"


Tone = Literal["formal", "conversational"]
Level = Literal["low", "normal", "high"]
Risk = Literal["low", "medium", "high"]


class NextStepPlan(Frozen):
    """The NextStepPlannerAgent's decision: what to do, how, and why."""

    action: PlanAction
    urgency: Level = "normal"
    risk: Risk = "low"
    tone: Tone = "conversational"
    reason: str
    suggested_cta: str = Field(default="", description="The one ask the draft should make.")
    delay_days: int = Field(default=0, ge=0, description="Days to wait before following up.")
    asset: Asset | None = Field(default=None, description="The asset to send (SEND_ASSET).")
    flag_for_operator: bool = Field(
        default=False, description="Shown prominently at approval (angry reply, injection)."
    )
    follow_up_on: date | None = Field(
        default=None, description="When a HubSpot task should bring the lead back (out of office)."
    )
    task_subject: str | None = Field(
        default=None,
        description="A HubSpot task the operator needs instead of (or besides) a draft.",
    )
    suppress: Literal["OPT_OUT", "BOUNCED", "COMPLAINT"] | None = Field(
        default=None, description="Put the lead's address on the suppression list, and why."
    )
    asks: bool = Field(
        default=True, description="Whether the letter makes an ask (a close or an ack does not)."
    )
    sequence_touch: int | None = Field(
        default=None,
        ge=1,
        description="Set for a sequence's follow-up: which touch (short, a new angle or an "
        "asset not sent before, never a bare 'bumping this').",
    )
    last_touch: bool = Field(
        default=False, description="The sequence's last follow-up: the letter says so."
    )
