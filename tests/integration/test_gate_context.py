"""`gather_gate_context` on a real Postgres and the sandbox CRM and Gmail."""

from __future__ import annotations

from sales_agent.config import Mode
from sales_agent.db.crm_mirror import names_since
from sales_agent.domain import Draft, GateStatus
from sales_agent.nodes.resolve_identity import lookup_identity
from sales_agent.policy.gate_context import (
    GateContext,
    gather_gate_context,
    inbound_findings,
    inbound_texts,
    thread_participants,
)
from sales_agent.policy.guardrails import add_rule
from sales_agent.policy.mode import set_kill_switch, set_mode
from sales_agent.policy.quality import evaluate_draft
from sales_agent.policy.suppression import SuppressionReason, suppress
from sales_agent.services import Services

KOFI = "kofi.hughes@mueller-soehne.example"


def gather(services: Services, email: str, thread_id: str | None = None) -> GateContext:
    recipient = lookup_identity(services, email)
    thread = services.connectors.gmail.get_thread(thread_id) if thread_id else None
    with services.pool.connection() as conn:
        return gather_gate_context(
            conn,
            settings=services.settings,
            voice=services.voice,
            names=services.crm_names,
            recipient=recipient,
            participants=thread_participants(thread) if thread else (),
            injection_findings=(
                inbound_findings(inbound_texts(thread, services.settings.operator_email))
                if thread
                else ()
            ),
        )


def test_the_mirror_holds_every_crm_contact_and_company(services: Services) -> None:
    with services.pool.connection() as conn:
        names = names_since(conn, 0)
    assert len([n for n in names if n.kind == "person"]) == 66
    assert len([n for n in names if n.kind == "company"]) == 22
    assert "Priya Natarajan" in {n.name for n in names}


def test_the_context_of_an_injection_thread(services: Services) -> None:
    ctx = gather(services, KOFI, "thr-prompt_injection-04")
    assert ctx.crm_names is not None
    assert {"send_request", "reveal_request", "addressed_to_ai"} <= {
        f.kind for f in ctx.injection_findings
    }
    assert KOFI in ctx.allowed_recipients
    assert "x@evil.example" not in ctx.allowed_recipients
    assert ctx.crm_names.knows("priya@northwind-logistics.example"), "a CRM contact"
    named = ctx.crm_names.others_in(
        "Müller & Söhne Maschinenbau, Halden Foods, Kofi Hughes, Priya Natarajan"
    )
    assert named == (("Priya Natarajan",), ("Halden Foods",))
    assert ctx.mode is Mode.DRAFT_ONLY and ctx.suppression is None and ctx.guardrail[0]

    # A draft obeying the inbound instructions fails; the clean one is only a warning.
    body = (
        "Hi Kofi,\n\nThanks.\n\nWould Tuesday at 10:00 work for a 30-minute call?\n\nCheers,\nDana"
    )
    clean = evaluate_draft(Draft(to=(KOFI,), subject="Re: Notes", body=body), ctx)
    assert clean.status is GateStatus.WARN and clean.risk_factors == ("prompt_injection",)
    obeying = Draft(
        to=(KOFI, "x@evil.example"),
        subject="Re: Notes",
        body=body.replace("Thanks.", "Halden Foods paid £40k for the same."),
    )
    assert {v.check for v in evaluate_draft(obeying, ctx).violations} == {
        "recipients",
        "confidential",
        "prompt_injection",
    }


def test_policy_state_reaches_the_context(services: Services) -> None:
    with services.pool.connection() as conn:
        set_mode(conn, mode=Mode.SEND_ALLOWED, actor="test", reason="gate context test")
        suppress(conn, value=KOFI, kind="email", reason=SuppressionReason.BOUNCED, actor="test")
        add_rule(
            conn, rule_type="EXCLUDED_COMPANY_IDS", value=["2017"], actor="test", reason="test"
        )
        set_kill_switch(conn, engaged=True, actor="test", reason="gate context test")
    try:
        ctx = gather(services, KOFI)
    finally:
        with services.pool.connection() as conn:
            set_kill_switch(conn, engaged=False, actor="test", reason="gate context test")
    assert ctx.mode is Mode.SEND_ALLOWED
    assert ctx.kill_switch_engaged
    assert ctx.suppression is not None and ctx.bounced
    assert ctx.guardrail[0] is False
    assert "Müller" in ctx.guardrail[1] or "2017" in ctx.guardrail[1]
    result = evaluate_draft(
        Draft(to=(KOFI,), subject="Hello", body="Would Tuesday work for a call?"), ctx
    )
    assert {"suppression", "bounced", "guardrails", "kill_switch"} <= {
        v.check for v in result.violations
    }
    assert result.send_allowed is False
