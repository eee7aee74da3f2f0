"""The follow-up graph with a (scripted) model: tool calls, trace, and the offline fallback."""

from __future__ import annotations

import dataclasses
from email.message import EmailMessage
from email.utils import format_datetime

from sales_agent.domain import Trigger
from sales_agent.evals.tracing import TraceRecorder
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, compile_followup, start
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services
from sales_agent.tools.submit_draft import SUBMIT_TOOL
from scripted_model import ScriptedChatModel, tool_calls

GMAIL = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)


# The reader's turn: the seed lead asks for a call about dispatch delays.
READING = tool_calls(
    (
        "ThreadReading",
        {"intent": "meeting_request", "confidence": 0.9, "language": "en", "detail": None},
    )
)


def voiced_body(services: Services) -> str:
    voice = services.voice
    return "\n\n".join(
        [
            voice.greeting.format(first_name="Priya"),
            voice.value_lines[0],
            voice.fallback_cta,
            f"{voice.sign_off}\n{voice.signature}",
        ]
    )


def test_the_model_reads_with_a_tool_then_writes_and_the_trace_records_it(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    model = ScriptedChatModel(
        script=[
            READING,
            tool_calls(("find_contact", {"email": SEED_LEAD_EMAIL})),
            tool_calls((SUBMIT_TOOL, {"subject": "Re: dispatch", "body": voiced_body(fresh)})),
        ]
    )
    recorder = TraceRecorder()
    result = start(
        compile_followup(dataclasses.replace(fresh, chat_model=model)),
        GMAIL,
        context,
        callbacks=[recorder],
    )
    assert result.interrupts and result.state.writer == "model"
    assert result.state.draft is not None and result.state.draft.to == (SEED_LEAD_EMAIL,)
    assert len(model.seen) == 3 and "find_contact" in model.bound  # read, tool round, submit
    assert SUBMIT_TOOL in model.bound and "create_draft" not in model.bound
    [call] = [c for c in recorder.tool_calls if c["name"] == "find_contact"]
    assert SEED_LEAD_EMAIL in call["args"] and "Priya" in call["result"]
    roles = {message["role"] for message in recorder.model_messages}
    assert {"system", "human"} <= roles
    placed = fresh.connectors.gmail.get_draft(str(result.state.gmail_draft_id))
    assert placed.message.body_text.strip() == voiced_body(fresh).strip()


def test_a_model_that_stays_invalid_falls_back_to_the_offline_writer(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    bad = "Hello Priya, are you free \u2014 or not? Can we talk?"
    model = ScriptedChatModel(
        script=[READING, *[tool_calls((SUBMIT_TOOL, {"subject": "x", "body": bad}))] * 2]
    )
    result = start(compile_followup(dataclasses.replace(fresh, chat_model=model)), GMAIL, context)
    writer = result.state.writer or ""
    assert writer.startswith("offline fallback: invalid draft after 2 attempts")
    assert result.interrupts and result.state.draft is not None
    assert "\u2014" not in result.state.draft.body


def test_a_read_receipt_gets_no_draft_whatever_the_model_reads(
    fresh: Services, context: FollowupContext
) -> None:
    """The offline rules are a floor: a mail system's receipt stays unclear, with no draft."""
    assert context.now is not None
    lead, operator = "odile@miellerie-receipt.example", fresh.settings.operator_email
    # Gmail threads by subject: "Read: Honey stock" arrives as a thread of its own.
    receipt = EmailMessage()
    receipt["From"], receipt["To"] = f"Odile Chabanne <{lead}>", operator
    receipt["Subject"] = "Read: Honey stock"
    receipt["Date"] = format_datetime(context.now)
    receipt["Message-ID"] = "<receipt-read@miellerie-receipt.example>"
    receipt.set_content("Your message was read on Monday at 08:31.")
    _, thread_id = fresh.connectors.gmail.insert_message(
        receipt.as_bytes(), label_ids=("INBOX",), date_from_header=True
    )
    # The model takes the receipt for a yes; the rules know it is a mail system's notice.
    yes = tool_calls(
        ("ThreadReading", {"intent": "meeting_request", "confidence": 0.9, "language": "en"})
    )
    graph = compile_followup(dataclasses.replace(fresh, chat_model=ScriptedChatModel(script=[yes])))

    state = start(graph, Trigger(source="gmail", gmail_thread_id=thread_id), context).state

    assert state.thread is not None and state.thread.intent == "unclear"
    assert state.draft is None
