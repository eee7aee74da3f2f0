"""The offline next-step planner: one rule per intent, the same answer every time.

Intent decides the action; the lead's company decides the tone (formal for enterprises,
conversational for startups); what the thread shows (an injection attempt, anger) decides
how loudly the operator is warned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

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

__all__ = [
    "ENTERPRISE_EMPLOYEES",
    "OUT_OF_OFFICE_DEFAULT_DAYS",
    "TIMING_DEFAULT_DAYS",
    "choose_asset",
    "plan_for",
    "tone_for",
]

ENTERPRISE_EMPLOYEES = 1000
OUT_OF_OFFICE_DEFAULT_DAYS = 7
"""An auto-reply with no return date: look again in a week."""
TIMING_DEFAULT_DAYS = 30
"""A 'not now' with no date: look again in a month."""
_ENTERPRISE_STAGES = frozenset({"public", "private equity", "enterprise"})

# Which asset answers which intent, best first (types from AssetHunter's inference).
_ASSET_PREFERENCE = {
    "pricing_question": ("proposal",),  # pricing sheets and proposals are "proposal"
    "asset_request": ("case_study", "report", "proposal"),
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


def _no_draft(reason: str, tone: Tone, **fields: object) -> NextStepPlan:
    return NextStepPlan(action=PlanAction.NO_ACTION, reason=reason, tone=tone, **fields)


def _stop_plan(
    intent: str, thread: ThreadContext, tone: Tone, today: date, *, close_on_no: bool
) -> NextStepPlan | None:
    """The plans that write nothing to the lead (or nothing that asks), per intent."""
    if intent == "unsubscribe":
        return _no_draft(
            "the lead asked to unsubscribe: suppress, never write again", tone, suppress="OPT_OUT"
        )
    if intent == "bounce":
        return _no_draft(
            "delivery failed: suppress the address that bounced",
            tone,
            suppress="BOUNCED",
            urgency="low",
        )
    if intent == "complaint":
        return _no_draft(
            "the lead complained: suppress, no draft; the operator decides whether to apologise",
            tone,
            suppress="COMPLAINT",
            risk="high",
            urgency="high",
            flag_for_operator=True,
        )
    if intent == "out_of_office":
        back = thread.return_date or today + timedelta(days=OUT_OF_OFFICE_DEFAULT_DAYS)
        said = f"until {back:%a %d %b %Y}" if thread.return_date else "with no return date given"
        return _no_draft(
            f"auto-reply: out of office {said}",
            tone,
            urgency="low",
            follow_up_on=back,
            task_subject="Follow up: back from out of office",
        )
    if intent == "wrong_person":
        return _no_draft(
            "not the right person (or no longer there): update the CRM record",
            tone,
            follow_up_on=today,
            task_subject="Update the contact record",
        )
    if intent == "existing_customer":
        return _no_draft(
            "an existing customer: no pitch; their account owner takes it",
            tone,
            follow_up_on=today,
            task_subject="Existing customer wrote: reply as owner",
            flag_for_operator=True,
        )
    if intent == "unclear":
        return _no_draft(
            "the reader could not tell what the lead wants: the operator reads it",
            tone,
            flag_for_operator=True,
        )
    if intent == "timing":
        back = thread.follow_up_on or today + timedelta(days=TIMING_DEFAULT_DAYS)
        return NextStepPlan(
            action=PlanAction.ACKNOWLEDGE,
            reason=f"not now: acknowledge, follow up on {back}",
            tone=tone,
            urgency="low",
            asks=False,
            follow_up_on=back,
            task_subject="Follow up: the lead asked to be contacted again",
        )
    if intent == "not_interested" and not close_on_no:
        return _no_draft("the lead said no: nothing more to send (SALES_AGENT_CLOSE_ON_NO)", tone)
    if intent == "not_interested":
        return NextStepPlan(
            action=PlanAction.CLOSE,
            tone=tone,
            urgency="low",
            asks=False,
            reason="the lead said no: a short courteous close, no pitch",
        )
    return None


def plan_for(
    identity: ResolvedIdentity,
    thread: ThreadContext,
    slots: Sequence[ProposedSlot],
    assets: Sequence[Asset],
    *,
    today: date,
    close_on_no: bool = True,
) -> NextStepPlan:
    """The next step for this lead, by the thread's intent.

    `close_on_no` (the `close_on_no` setting): a 'no' gets a courteous close, else nothing.
    """
    tone = tone_for(identity)
    intent = thread.intent
    flagged = bool(thread.injection_findings)
    risk: Risk = "high" if flagged else "low"
    stop = _stop_plan(intent, thread, tone, today, close_on_no=close_on_no)
    if stop is not None:
        return stop.model_copy(update={"flag_for_operator": stop.flag_for_operator or flagged})
    asset = choose_asset(intent, assets)
    if (
        intent in ("pricing_question", "objection", "confidential_request", "asset_request")
        and asset
    ):
        reasons = {
            "pricing_question": "the lead asked about pricing: send the pricing material",
            "objection": "the lead has doubts: send evidence from similar work",
            "confidential_request": (
                "the lead asked about other clients: share nothing of theirs, send the "
                "published case study instead"
            ),
            "asset_request": "the lead asked for material: send it",
        }
        confidential = intent == "confidential_request"
        return NextStepPlan(
            action=PlanAction.SEND_ASSET,
            reason=reasons[intent],
            tone=tone,
            risk="medium" if confidential and not flagged else risk,
            asset=asset,
            flag_for_operator=flagged or confidential,
            suggested_cta="ask whether a short call to walk through it would help",
        )
    reasons = {
        "meeting_request": "the lead asked to meet: offer real times",
        "referral": "a warm introduction: thank the referrer, offer the new contact a call",
        "pricing_question": "pricing depends on scope: a short call to size it",
        "objection": "the lead has doubts: a short call to see if they apply",
        "confidential_request": "the lead asked about other clients: share nothing, offer a call",
        "question": "the lead asked a question: answer briefly, offer a call for the rest",
        "asset_request": "the lead asked for material we do not have indexed: offer a call",
    }
    return _call_or_followup(
        reasons.get(intent, "a new lead: offer a short call"),
        slots,
        tone=tone,
        risk=risk,
        flagged=flagged or intent == "confidential_request",
        urgent=intent == "meeting_request",
    )
