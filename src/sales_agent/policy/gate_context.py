"""What the quality gate knows besides the draft: gathered once, before the pure evaluation.

`gather_gate_context` is the one place that reads the CRM, the thread, the suppression
list, the guardrails, the mode, the kill switch and the quotas for a gate decision; the
graph and `sales-agent gate check` both call it, so they judge a draft the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict, Field, field_validator

from sales_agent.config import Mode, Settings
from sales_agent.connectors import GmailThread
from sales_agent.domain import InjectionFinding, ResolvedIdentity
from sales_agent.domain.voice import VoiceProfile
from sales_agent.policy.crm_names import CrmNames, NameView
from sales_agent.policy.guardrails import is_allowed, load_active_rules
from sales_agent.policy.injection import detect_injection
from sales_agent.policy.mode import current_mode, kill_switch_engaged
from sales_agent.policy.pii_patterns import PHONE, is_phone, phone_key
from sales_agent.policy.quotas import QuotaExceeded, SendKind, check_quota
from sales_agent.policy.risk import missing_weights
from sales_agent.policy.suppression import Suppression, SuppressionReason, is_suppressed

__all__ = [
    "GateContext",
    "PlannedTone",
    "gather_gate_context",
    "inbound_findings",
    "inbound_texts",
    "thread_participants",
]

PlannedTone = Literal["formal", "conversational", "careful"]


def _default_weights() -> dict[str, int]:
    default: dict[str, int] = Settings.model_fields["risk_weights"].get_default()
    return dict(default)


class GateContext(BaseModel):
    """Everything the gate needs about the world; defaults are the safe 'nothing known'.

    The mode defaults to DRAFT_ONLY, so a context built by hand never allows a send;
    `gather_gate_context` fills every field from the database and the CRM.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    operator_email: str = Field(default="", description="The mailbox the draft is sent from.")
    operator_name: str = ""
    operator_phones: tuple[str, ...] = Field(
        default=(), description="The operator's own numbers (phone_key form): allowed in drafts."
    )
    recipient: ResolvedIdentity | None = None
    allowed_recipients: frozenset[str] = Field(
        default=frozenset(), description="Thread participants, lower case (CRM: `crm_names`)."
    )
    planned_tone: PlannedTone | None = None
    lead_intent: str | None = Field(
        default=None, description="What the lead's message said (a no means no pitch)."
    )
    plan_asks: bool = Field(
        default=True, description="Whether the plan makes an ask (a close or an ack does not)."
    )
    injection_findings: tuple[InjectionFinding, ...] = Field(
        default=(), description="Instruction-like passages of the inbound text."
    )
    forbidden_words: tuple[str, ...] = ()
    link_allowed_domains: tuple[str, ...] = ()
    other_companies: tuple[str, ...] = Field(
        default=(), description="CRM company names other than the recipient's: confidential."
    )
    other_people: tuple[str, ...] = Field(
        default=(),
        description="Full names of CRM people other than the recipient and the participants.",
    )
    crm_names: NameView | None = Field(
        default=None,
        description="The CRM mirror's names and addresses as this draft sees them: the names "
        "a draft holds are looked up per draft (besides `other_people` and `other_companies`).",
    )
    suppression: Suppression | None = None
    guardrail: tuple[bool, str] = Field(
        default=(True, ""), description="`policy.guardrails.is_allowed` for the recipient."
    )
    mode: Mode = Mode.DRAFT_ONLY
    kill_switch_engaged: bool = False
    quota_refusal: QuotaExceeded | None = None
    bounced: bool = False
    risk_weights: dict[str, int] = Field(default_factory=_default_weights)

    @field_validator("risk_weights")
    @classmethod
    def _every_factor_weighted(cls, value: dict[str, int]) -> dict[str, int]:
        missing = missing_weights(value)
        if missing:
            raise ValueError(
                f"risk weights lack {', '.join(missing)}: give every factor a weight "
                "(0 to ignore it) in SALES_AGENT_RISK_WEIGHTS"
            )
        return value


def thread_participants(thread: GmailThread) -> tuple[str, ...]:
    """Every address on the thread's sent messages (senders, To and Cc), lower-cased."""
    seen = dict.fromkeys(
        address.email.lower()
        for message in thread.messages
        if not message.is_draft
        for address in (message.sender, *message.to, *message.cc)
    )
    return tuple(seen)


def inbound_findings(
    texts: Iterable[str],
) -> tuple[InjectionFinding, ...]:
    """Instruction-like passages in inbound text, each once, in order of appearance."""
    return tuple(dict.fromkeys(f for text in texts for f in detect_injection(text)))


def inbound_texts(thread: GmailThread, operator_email: str) -> list[str]:
    """The bodies of the thread's messages written by anyone but the operator."""
    operator = operator_email.lower()
    return [
        m.body_text
        for m in thread.messages
        if not m.is_draft and m.sender.email.lower() != operator
    ]


def gather_gate_context(
    conn: Connection[DictRow],
    *,
    settings: Settings,
    voice: VoiceProfile,
    names: CrmNames,
    recipient: ResolvedIdentity | None,
    participants: Sequence[str] = (),
    injection_findings: Sequence[InjectionFinding] = (),
    planned_tone: PlannedTone | None = None,
    lead_intent: str | None = None,
    plan_asks: bool = True,
    quota_kind: SendKind = "followup",
    now: datetime | None = None,
) -> GateContext:
    """The gate's context for a draft to `recipient` (None: content checks only).

    `participants` are addresses the draft may go to besides CRM contacts (the thread's
    participants, see `thread_participants`, and a trigger's own lead); `injection_findings`
    come from the inbound text (see `inbound_findings`). `names` is the process's name index
    of the CRM mirror's names, brought up to the mirror's version here, so a contact
    mirrored a moment ago is known to this draft's checks.
    """
    names.refresh(conn)
    operator = settings.operator_email.lower()
    participants = [address.lower() for address in participants]
    email = recipient.email.lower() if recipient is not None else None
    mentionable = {operator, *participants, *([email] if email else [])}
    recipient_company = recipient.company_id if recipient is not None else None
    suppression = is_suppressed(conn, email, now=now) if email else None
    signature = f"{voice.sign_off}\n{voice.signature}"
    return GateContext(
        operator_email=operator,
        operator_name=settings.operator_name,
        operator_phones=tuple(
            phone_key(m.group()) for m in PHONE.finditer(signature) if is_phone(m.group())
        ),
        recipient=recipient,
        allowed_recipients=frozenset(participants),
        planned_tone=planned_tone,
        lead_intent=lead_intent,
        plan_asks=plan_asks,
        injection_findings=tuple(injection_findings),
        forbidden_words=voice.forbidden_words,
        link_allowed_domains=settings.link_allowed_domains,
        crm_names=names.view(
            mentionable=frozenset(mentionable),
            own_company_id=recipient_company,
            own_company_name=recipient.company_name if recipient is not None else None,
            own_name=settings.operator_name,
        ),
        suppression=suppression,
        guardrail=is_allowed(recipient, load_active_rules(conn)) if recipient else (True, ""),
        mode=current_mode(conn),
        kill_switch_engaged=kill_switch_engaged(conn),
        quota_refusal=(
            check_quota(
                conn, kind=quota_kind, contact_email=email, now=now, timezone=settings.timezone
            )
            if email
            else None
        ),
        bounced=suppression is not None and suppression.reason is SuppressionReason.BOUNCED,
        risk_weights=settings.risk_weights,
    )
