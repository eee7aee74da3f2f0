"""Sequences' pure parts: the cadence in business days, the touch plan and the follow-up letter."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from sales_agent.config import load_settings
from sales_agent.domain import Asset, ResolvedIdentity, ThreadContext, Trigger, thread_id_for
from sales_agent.domain.sequence import Cadence, due_after
from sales_agent.domain.slots import SlotRules, free_slots
from sales_agent.domain.voice import default_voice_profile
from sales_agent.errors import ConfigError
from sales_agent.nodes.offline.touch_planner import plan_touch
from sales_agent.nodes.offline.writer import WriterInput, write_offline_draft
from sales_agent.policy.quality import GateContext, evaluate_draft
from sales_agent.policy.sequences import company_domain

LEAD = ResolvedIdentity(email="priya@northwind.example", first_name="Priya")
CASE = Asset(file_id="f-case", name="Case study.pdf", asset_type="case_study", score=0.9)
REPORT = Asset(file_id="f-report", name="Report.pdf", asset_type="report", score=0.5)
BANNED = ("bump", "circling back", "just checking in", "touching base")


def test_business_days_skip_weekends_bank_holidays_and_the_operators_days_off() -> None:
    friday = datetime(2026, 12, 18, 9, 30, tzinfo=UTC)
    assert due_after(friday, 3, country="GB") == datetime(2026, 12, 23, 9, 30, tzinfo=UTC)
    # 25 and 28 December are GB bank holidays (Christmas on a Friday, Boxing Day moved).
    wed = datetime(2026, 12, 23, 9, 30, tzinfo=UTC)
    assert due_after(wed, 2, country="GB").date() == date(2026, 12, 29)
    assert due_after(wed, 1, country="GB", days_off={date(2026, 12, 24)}).date() == date(
        2026, 12, 29
    )


def test_the_cadence_repeats_its_last_wait_and_refuses_nonsense() -> None:
    cadence = Cadence(days=(3, 5), max_touches=4)
    assert [cadence.wait_before(n) for n in (1, 2, 3, 4)] == [3, 5, 5, 5]
    with pytest.raises(ValidationError, match="1 to 60"):
        Cadence(days=(0,), max_touches=3)
    settings = load_settings(_env_file=None, sequence_cadence_days="2,4", sequence_max_touches=2)
    assert settings.sequence_cadence() == Cadence(days=(2, 4), max_touches=2)
    with pytest.raises(ConfigError, match="SALES_AGENT_SEQUENCE_CADENCE_DAYS"):
        load_settings(_env_file=None, sequence_cadence_days="3,0")


def test_a_touch_trigger_needs_its_sequence_and_runs_on_a_thread_of_its_own() -> None:
    trigger = Trigger(
        source="sequence",
        contact_email=LEAD.email,
        gmail_thread_id="thr-1",
        sequence_id=7,
        touch=2,
    )
    assert thread_id_for(trigger) == "sequence:7:2"
    with pytest.raises(ValidationError, match="sequence_id, touch"):
        Trigger(source="sequence", contact_email=LEAD.email, gmail_thread_id="thr-1")


def test_each_touch_brings_an_asset_not_sent_before_and_the_last_says_so() -> None:
    first = plan_touch(LEAD, [], [CASE, REPORT], touch=1, max_touches=3, sent_assets=[])
    assert first.asset == CASE and first.sequence_touch == 1 and not first.last_touch
    second = plan_touch(LEAD, [], [CASE, REPORT], touch=2, max_touches=3, sent_assets=["f-case"])
    assert second.asset == REPORT
    last = plan_touch(
        LEAD, [], [CASE, REPORT], touch=3, max_touches=3, sent_assets=["f-case", "f-report"]
    )
    assert last.asset is None and last.last_touch
    assert last.action.value == "SEND_FOLLOWUP"  # no slot free: ask for their times


@pytest.mark.parametrize("touch", [1, 2, 3])
def test_a_follow_up_letter_is_short_new_and_passes_the_gate(touch: int) -> None:
    rules = SlotRules(timezone="Europe/London")
    slots = free_slots([], datetime(2026, 12, 1, 8, tzinfo=UTC), rules)
    sent = ["f-case"] if touch > 1 else []
    plan = plan_touch(LEAD, slots, [CASE], touch=touch, max_touches=3, sent_assets=sent)
    thread = ThreadContext(
        summary="Follow-up", subject="Re: Dispatch", gmail_thread_id="thr-1", detail=None
    )
    draft = write_offline_draft(
        WriterInput(
            identity=LEAD,
            thread=thread,
            plan=plan,
            slots=slots,
            voice=default_voice_profile(),
            timezone="Europe/London",
            seed="sequence:1:1",
            recipients=(LEAD.email,),
            greeting_name="Priya",
            today=date(2026, 3, 2),
        )
    )
    body = draft.body.lower()
    assert not [phrase for phrase in BANNED if phrase in body]
    assert len(draft.body.split()) <= 90 and draft.subject == "Re: Dispatch"
    assert ("case study" in body) == (touch == 1)
    assert ("this is my last note" in body) == (touch == 3)
    result = evaluate_draft(
        draft, GateContext(recipient=LEAD, allowed_recipients=frozenset({LEAD.email}))
    )
    assert result.status.value != "FAIL", result


def test_a_company_is_its_domain_unless_the_domain_is_free_mail() -> None:
    assert company_domain("Priya@Northwind.example") == "northwind.example"
    assert company_domain("someone@gmail.com") is None
