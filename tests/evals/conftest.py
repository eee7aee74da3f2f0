"""Traces built in memory for the evaluator tests: a good drafting run, changed per test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sales_agent.domain import Draft, ProposedSlot
from sales_agent.evals.trace import Trace, TraceContext, TraceOutputs, TraceTask, VoiceSnapshot

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GOOD_BODY = (
    "Hi Priya,\n\n"
    "Thanks for the note on dispatch delays in the warehouse. A call is the quickest way to "
    "see where the time goes.\n\n"
    "Short version: we find the bottleneck first, then fix the part that costs you most. "
    "Orders that sit in staging are usually a scheduling problem, not a headcount one, and it "
    "tends to be fixable within weeks.\n\n"
    "Could we grab 30 minutes on Tue 3 Mar at 14:00 or Wed 4 Mar at 14:30 (London time)?\n\n"
    "Cheers,\nDana"
)
DRAFTING_PATH = [
    "trigger", "resolve_identity", "policy_precheck", "read_thread", "recall_memory",
    "find_assets", "propose_slots", "plan_next_step", "write_draft", "quality_gate",
    "log_to_crm", "place_gmail_draft", "await_approval", "await_approval", "deliver",
    "record_outcome",
]  # fmt: skip
VOICE = VoiceSnapshot(
    version=1,
    greeting="Hi {first_name},",
    sign_off="Cheers,",
    signature="Dana",
    openers=["Thanks for the note on {detail}."],
    value_lines=[
        "Short version: we find the bottleneck first, then fix the part that costs you most."
    ],
    cta_templates=["Could we grab 30 minutes on {slots}?"],
    fallback_cta="What does your diary look like next week for a 30-minute call?",
    forbidden_words=["synergy", "circle back"],
)


def slot(day: int, hour: int, minute: int = 0) -> ProposedSlot:
    """A 30-minute slot on 2026-03-<day> at hour:minute UTC (London time in March)."""
    start = datetime(2026, 3, day, hour, minute, tzinfo=UTC)
    return ProposedSlot(start=start, end=start + timedelta(minutes=30), reason="free")


def good_trace(**expect: Any) -> Trace:
    """A run that did everything right: meeting request, two afternoon slots, one CTA."""
    return Trace(
        case="good",
        now=NOW,
        expect=expect,
        node_path=DRAFTING_PATH,
        outputs=TraceOutputs(
            intent="meeting_request",
            detail="dispatch delays in the warehouse",
            action="PROPOSE_CALL",
            plan={"action": "PROPOSE_CALL"},
            draft=Draft(
                to=("priya@northwind-logistics.example",), subject="Re: Dispatch", body=GOOD_BODY
            ),
            gate={"status": "PASS"},
            slots=[slot(3, 14), slot(4, 14, 30)],
            gmail_draft_id="r-1",
            crm_task_id="t-1",
            tasks=[
                TraceTask(id="t-1", subject="Follow up", due=datetime(2026, 3, 3, 9, tzinfo=UTC))
            ],
            recipients=["priya@northwind-logistics.example"],
            outcome="APPROVED",
        ),
        context=TraceContext(
            operator_email="dana@chaingepartners.example",
            timezone="Europe/London",
            lead_email="priya@northwind-logistics.example",
            lead_first_name="Priya",
            lead_company="Northwind Logistics",
            participants=["dana@chaingepartners.example", "priya@northwind-logistics.example"],
            thread_text="Our biggest headache is dispatch delays in the warehouse: orders sit in "
            "staging. Tuesday or Wednesday afternoon would be best.",
            lead_text="Our biggest headache is dispatch delays in the warehouse: orders sit in "
            "staging. Tuesday or Wednesday afternoon would be best.",
            had_operator_message=True,
            other_companies=["Halden Foods", "Oakline Retail"],
            other_people=["Mei Rossi", "Oliver Nowak"],
            voice=VOICE,
        ),
    )


def with_body(trace: Trace, body: str) -> Trace:
    """The same trace with another draft body."""
    assert trace.outputs.draft is not None
    draft = trace.outputs.draft.model_copy(update={"body": body})
    return trace.model_copy(update={"outputs": trace.outputs.model_copy(update={"draft": draft})})


def with_outputs(trace: Trace, **changes: Any) -> Trace:
    return trace.model_copy(update={"outputs": trace.outputs.model_copy(update=changes)})


def with_context(trace: Trace, **changes: Any) -> Trace:
    return trace.model_copy(update={"context": trace.context.model_copy(update=changes)})


@pytest.fixture
def good() -> Trace:
    return good_trace()
