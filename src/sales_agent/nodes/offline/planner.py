"""The offline next-step planner: one rule per intent, the same answer every time.

Intent decides the action; the lead's company decides the tone (formal for enterprises,
conversational for startups); what the thread shows (an injection attempt, anger) decides
how loudly the operator is warned.
"""

from __future__ import annotations

from collections.abc import Sequence

from sales_agent.domain import (
    Asset,
    NextStepPlan,
    PlanAction,
    ProposedSlot,
    ResolvedIdentity,
    Risk,
    ThreadContext,
    Tone,
)

__all__ = ["ENTERPRISE_EMPLOYEES", "choose_asset", "plan_for", "tone_for"]

ENTERPRISE_EMPLOYEES = 1000
_ENTERPRISE_STAGES = frozenset({"public", "private equity", "enterprise"})

# Which asset answers which intent, best first (types from AssetHunter's inference).
_ASSET_PREFERENCE = {
    "pricing_question": ("proposal",),  # pricing sheets and proposals are "proposal"
    "objection": ("case_study", "report"),
    "confidential_request": ("case_study", "report"),
}


def tone_for(identity: ResolvedIdentity) -> Tone:
    """Formal for an enterprise (large or public/PE-owned), conversational otherwise."""
    large = identity.employees is not None and identity.employees >= ENTERPRISE_EMPLOYEES
    listed = (identity.stage or "").strip().lower() in _ENTERPRISE_STAGES
    return "formal" if large or listed else "conversational"


def choose_asset(intent: str, assets: Sequence[Asset]) -> Asset | None:
    """The most relevant asset of the first type the intent prefers, if any was found."""
    for asset_type in _ASSET_PREFERENCE.get(intent, ()):
        matching = [a for a in assets if a.asset_type == asset_type]
        if matching:
            return max(matching, key=lambda asset: asset.score)
    return None


def _call_or_followup(
    reason: str,
    slots: Sequence[ProposedSlot],
    *,
    tone: Tone,
    risk: Risk,
    flagged: bool,
    urgent: bool,
) -> NextStepPlan:
    plan = NextStepPlan(
        action=PlanAction.PROPOSE_CALL,
        reason=reason,
        suggested_cta="offer the proposed slots and ask which suits",
        tone=tone,
        risk=risk,
        flag_for_operator=flagged,
        urgency="high" if urgent else "normal",
    )
    if slots:
        return plan
    # A call needs times to offer; with no free slot the draft asks for theirs instead.
    return plan.model_copy(
        update={
            "action": PlanAction.SEND_FOLLOWUP,
            "reason": f"{reason}; no free slot in the window, so ask for their availability",
            "suggested_cta": "ask which times suit them",
        }
    )


def plan_for(
    identity: ResolvedIdentity,
    thread: ThreadContext,
    slots: Sequence[ProposedSlot],
    assets: Sequence[Asset],
) -> NextStepPlan:
    """The next step for this lead, by the thread's intent."""
    tone = tone_for(identity)
    intent = thread.intent
    flagged = bool(thread.injection_findings)
    risk: Risk = "high" if flagged else "low"
    if intent == "unsubscribe":
        return NextStepPlan(
            action=PlanAction.NO_ACTION,
            reason="the lead asked to unsubscribe: suppress, never write again",
            tone=tone,
        )
    if intent == "out_of_office":
        back = thread.return_date
        return NextStepPlan(
            action=PlanAction.NO_ACTION,
            reason=(
                f"auto-reply: out of office until {back:%a %d %b %Y}"
                if back
                else "auto-reply: out of office, no return date given"
            ),
            tone=tone,
            urgency="low",
            follow_up_on=back,
            delay_days=0,
        )
    if intent == "not_interested":
        return NextStepPlan(
            action=PlanAction.SEND_FOLLOWUP,
            reason="the lead said no: a short courteous close, no pitch",
            tone=tone,
            urgency="low",
            suggested_cta="ask whether checking back in a few months would be welcome",
            delay_days=90,
        )
    if intent == "angry_reply":
        return NextStepPlan(
            action=PlanAction.SEND_FOLLOWUP,
            reason="the lead is upset: acknowledge, apologise, offer to put it right",
            tone="formal",
            urgency="high",
            risk="high",
            flag_for_operator=True,
            suggested_cta="ask whether a short call today or tomorrow would help",
        )
    asset = choose_asset(intent, assets)
    if intent in ("pricing_question", "objection", "confidential_request") and asset:
        reasons = {
            "pricing_question": "the lead asked about pricing: send the pricing material",
            "objection": "the lead has doubts: send evidence from similar work",
            "confidential_request": (
                "the lead asked about other clients: share nothing of theirs, send the "
                "published case study instead"
            ),
        }
        return NextStepPlan(
            action=PlanAction.SEND_ASSET,
            reason=reasons[intent],
            tone=tone,
            risk="medium" if intent == "confidential_request" and not flagged else risk,
            asset=asset,
            flag_for_operator=flagged,
            suggested_cta="ask whether a short call to walk through it would help",
        )
    reasons = {
        "meeting_request": "the lead asked to meet: offer real times",
        "referral": "a warm introduction: thank the referrer, offer the new contact a call",
        "pricing_question": "pricing depends on scope: a short call to size it",
        "objection": "the lead has doubts: a short call to see if they apply",
        "confidential_request": "the lead asked about other clients: share nothing, offer a call",
    }
    return _call_or_followup(
        reasons.get(intent, "a new lead: offer a short call"),
        slots,
        tone=tone,
        risk=risk,
        flagged=flagged,
        urgent=intent == "meeting_request",
    )
