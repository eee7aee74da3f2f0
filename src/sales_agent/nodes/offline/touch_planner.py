"""The plan of a sequence's follow-up touch: short, with something new each time.

A follow-up that only repeats the first letter ("just bumping this") is noise; each touch
brings a new angle, preferably a case study or report the lead has not been sent yet, and
keeps one small ask. The last touch says it is the last.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sales_agent.domain import Asset, NextStepPlan, PlanAction, ProposedSlot, ResolvedIdentity
from sales_agent.nodes.offline.planner import tone_for

__all__ = ["TOUCH_ASSET_TYPES", "plan_touch"]

TOUCH_ASSET_TYPES = ("case_study", "report")
"""Assets that give a follow-up something new to say (proposals answer a pricing question)."""


def _fresh_asset(assets: Sequence[Asset], sent: Collection[str]) -> Asset | None:
    fresh = [a for a in assets if a.asset_type in TOUCH_ASSET_TYPES and a.file_id not in sent]
    return max(fresh, key=lambda asset: asset.score) if fresh else None


def plan_touch(
    identity: ResolvedIdentity,
    slots: Sequence[ProposedSlot],
    assets: Sequence[Asset],
    *,
    touch: int,
    max_touches: int,
    sent_assets: Collection[str],
) -> NextStepPlan:
    """Follow-up `touch` of `max_touches`: an unsent asset when one fits, else a call or times."""
    last = touch >= max_touches
    reason = f"follow-up {touch} of {max_touches}: no reply since our last message"
    reason += (
        "; the last one, and it says so"
        if last
        else "; a short note with a new angle, never a bare 'just bumping this'"
    )
    asset = _fresh_asset(assets, sent_assets)
    if asset is not None:
        action = PlanAction.SEND_ASSET
        cta = "ask whether a short call to walk through it would help"
        reason += f", and a {asset.asset_type.replace('_', ' ')} not sent before"
    elif slots:
        action = PlanAction.PROPOSE_CALL
        cta = "offer the proposed slots and ask which suits"
    else:
        action, cta = PlanAction.SEND_FOLLOWUP, "ask which times suit them"
        reason += "; no free slot, so ask for their availability"
    return NextStepPlan(
        action=action,
        reason=reason,
        suggested_cta=cta,
        asset=asset,
        tone=tone_for(identity),
        urgency="low",
        sequence_touch=touch,
        last_touch=last,
    )
