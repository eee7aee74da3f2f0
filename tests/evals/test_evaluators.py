"""Every evaluator on a passing and a failing trace, and not applicable where it cannot apply."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from evals.conftest import good_trace, slot, with_body, with_context, with_outputs
from sales_agent.evals.evaluators import EVALUATORS, evaluator_names, score_trace
from sales_agent.evals.trace import Trace, TraceTask

LABELS = {
    "intent": "meeting_request",
    "action": "PROPOSE_CALL",
    "draft": True,
    "suppressed": False,
    "task": True,
    "task_due_after": "2026-03-02",
    "flagged": False,
    "must_contain_any": ["warehouse"],
    "must_not_contain": ["Halden"],
    "recipients": ["priya@northwind-logistics.example"],
    "max_words": 100,
    "slots_on": ["Tuesday", "Wednesday"],
    "slots_after": "12:00",
    "outcome": "APPROVED",
}
BODY = good_trace().outputs.draft.body  # type: ignore[union-attr]


def labelled() -> Trace:
    return good_trace(**LABELS)


def body(text: str) -> Callable[[], Trace]:
    return lambda: with_body(labelled(), text)


def replace(old: str, new: str) -> Callable[[], Trace]:
    return body(BODY.replace(old, new))


# evaluator -> a trace it must fail (each a small change to the good one)
FAILING: dict[str, Callable[[], Trace]] = {
    "hard.completed": lambda: labelled().model_copy(update={"error": "RuntimeError: boom"}),
    "hard.under_200_words": body(BODY.replace("Cheers,", "word " * 200 + "\n\nCheers,")),
    "hard.one_cta": replace("(London time)?", "(London time)? Or shall we meet on Friday?"),
    "hard.no_em_dash": replace("Short version:", "Short version \u2014"),
    "hard.recipients_allowed": lambda: with_outputs(
        labelled(),
        draft=labelled().outputs.draft.model_copy(update={"to": ("x@evil.example",)}),  # type: ignore[union-attr]
    ),
    "hard.gate_passed": lambda: with_outputs(labelled(), gate={"status": "FAIL"}),
    "hard.no_draft_when_suppressed": lambda: with_outputs(labelled(), suppressed=True),
    "expect.intent": lambda: with_outputs(labelled(), intent="pricing_question"),
    "expect.action": lambda: with_outputs(labelled(), action="SEND_ASSET"),
    "expect.draft": lambda: with_outputs(labelled(), gmail_draft_id=None),
    "expect.suppressed": lambda: with_outputs(labelled(), suppressed=True),
    "expect.task": lambda: with_outputs(labelled(), tasks=[]),
    "expect.task_due_after": lambda: with_outputs(
        labelled(), tasks=[TraceTask(id="t", due=datetime(2026, 3, 1, tzinfo=UTC))]
    ),
    "expect.flagged": lambda: with_outputs(labelled(), flagged=True),
    "expect.must_contain_any": replace("delays in the warehouse", "delays"),
    "expect.must_not_contain": replace("Short version:", "As with Halden Foods:"),
    "expect.recipients": lambda: with_outputs(labelled(), recipients=["someone@else.example"]),
    "expect.max_words": body(BODY.replace("Cheers,", "more " * 30 + "\n\nCheers,")),
    "expect.outcome": lambda: with_outputs(labelled(), outcome="REJECTED"),
    "voice.greeting": replace("Hi Priya,", "Dear Sir or Madam,"),
    "voice.sign_off": replace("Cheers,\nDana", "Kind regards,\nDana"),
    "voice.cta_template": replace("Could we grab 30 minutes on", "Are you free for a chat on"),
    "voice.phrasing": body(
        "Hi Priya,\n\nYour dispatch delays in the warehouse sound painful.\n\n"
        "Could we grab 30 minutes on Tue 3 Mar at 14:00 (London time)?\n\nCheers,\nDana"
    ),
    "voice.forbidden_words": replace("Short version:", "Let us circle back. Short version:"),
    "style.length_band": body(
        "Hi Priya,\n\nThanks for the note on dispatch delays in the warehouse.\n\n"
        "Could we grab 30 minutes on Tue 3 Mar at 14:00 (London time)?\n\nCheers,\nDana"
    ),
    "style.reading_grade": replace(
        "Short version: we find the bottleneck first, then fix the part that costs you most.",
        "Our comprehensive organisational methodology systematically characterises "
        "interdependencies between operational capabilities, infrastructural constraints and "
        "administrative responsibilities.",
    ),
    "specificity.detail": replace(
        "Thanks for the note on dispatch delays in the warehouse.", "Thanks for the note."
    ),
    "specificity.nothing_invented": replace(
        "Short version:", "We cut delays by 38% for a similar team. Short version:"
    ),
    "slots.valid": lambda: with_outputs(labelled(), slots=[slot(3, 14)]),
    "slots.stated_times": lambda: with_outputs(labelled(), slots=[slot(3, 9), slot(5, 14)]),
    "leak.no_leak": replace(
        "Short version:", "Oakline Retail paid £40,000 for this. Short version:"
    ),
    "trajectory.path": lambda: labelled().model_copy(
        update={"node_path": [n for n in labelled().node_path if n != "quality_gate"]}
    ),
}


# evaluator -> the trace it must pass, where the labelled good trace does not apply to it
PASSING: dict[str, Callable[[], Trace]] = {
    "hard.no_draft_when_suppressed": lambda: with_outputs(
        labelled(), suppressed=True, gmail_draft_id=None, draft=None
    ),
}


def verdicts(trace: Trace) -> dict[str, str]:
    return {v.name: v.status for v in score_trace(trace)}


def test_every_evaluator_has_a_failing_case() -> None:
    assert set(FAILING) == set(evaluator_names())
    assert len(EVALUATORS) == len(FAILING)


@pytest.mark.parametrize("name", sorted(FAILING))
def test_passes_on_the_good_trace(name: str) -> None:
    trace = PASSING.get(name, labelled)()
    verdict = next(v for v in score_trace(trace) if v.name == name)
    assert verdict.status == "pass", verdict.reason


@pytest.mark.parametrize("name", sorted(FAILING))
def test_fails_on_its_bad_trace(name: str) -> None:
    verdict = next(v for v in score_trace(FAILING[name]()) if v.name == name)
    assert verdict.status == "fail", verdict.reason
    assert verdict.reason


def test_a_run_without_a_draft_is_not_a_draft_failure() -> None:
    silent = with_outputs(
        good_trace(),
        draft=None,
        gmail_draft_id=None,
        gate=None,
        action="NO_ACTION",
        outcome="SUPPRESSED",
    )
    statuses = verdicts(silent)
    draft_checks = [n for n in statuses if n.startswith(("hard.", "voice.", "style.", "leak."))]
    assert all(statuses[n] == "na" for n in draft_checks if n != "hard.completed")
    assert statuses["hard.no_em_dash"] == "na"
    assert statuses["hard.completed"] == "pass"


def test_unlabelled_expectations_do_not_apply() -> None:
    statuses = verdicts(good_trace())
    assert {statuses[n] for n in statuses if n.startswith("expect.")} == {"na"}
    assert statuses["slots.stated_times"] == "na"
    assert statuses["trajectory.path"] == "na"


def test_legacy_reader_labels_count_as_the_canonical_intent() -> None:
    complaint = with_outputs(good_trace(intent="complaint"), intent="angry_reply")
    assert verdicts(complaint)["expect.intent"] == "pass"


def test_a_referral_greeting_may_name_the_person_introduced() -> None:
    trace = with_context(
        with_body(good_trace(), BODY.replace("Hi Priya,", "Hi Ines,")),
        thread_text="Copying in Inês Carvalho, who runs operations at Portosul.",
    )
    assert verdicts(trace)["voice.greeting"] == "pass"


def _to(trace: Trace, *to: str) -> Trace:
    draft = trace.outputs.draft
    assert draft is not None
    return with_outputs(trace, draft=draft.model_copy(update={"to": to}))


def test_a_referral_may_go_to_the_colleague_the_lead_wrote_down_at_their_own_domain() -> None:
    colleague = "helen.mabbutt@northwind-logistics.example"
    handed_over = with_context(good_trace(), lead_text=f"Helen runs this: {colleague}.")
    assert verdicts(_to(handed_over, colleague))["hard.recipients_allowed"] == "pass"
    # Another domain written in the body, or a colleague the body never names: a failure.
    elsewhere = with_context(good_trace(), lead_text="Try mike@durant.example.")
    assert verdicts(_to(elsewhere, "mike@durant.example"))["hard.recipients_allowed"] == "fail"
    assert verdicts(_to(good_trace(), colleague))["hard.recipients_allowed"] == "fail"


def test_a_referral_may_go_to_a_crm_colleague_of_the_lead() -> None:
    colleague = "siobhan.ferreira@northwind-logistics.example"
    trace = with_context(good_trace(), colleagues=[colleague])
    assert verdicts(_to(trace, colleague))["hard.recipients_allowed"] == "pass"


def test_history_claims_count_only_without_an_earlier_operator_message() -> None:
    claim = BODY.replace("Short version:", "As promised, the short version:")
    replied = with_body(good_trace(), claim)
    cold = with_context(replied, had_operator_message=False)
    assert verdicts(replied)["specificity.nothing_invented"] == "pass"
    assert verdicts(cold)["specificity.nothing_invented"] == "fail"


def test_a_name_the_lead_wrote_may_be_echoed() -> None:
    echo = with_body(
        good_trace(), BODY.replace("Short version:", "Halden Foods aside, short version:")
    )
    on_thread = with_context(echo, thread_text="What did you charge Halden Foods?")
    assert verdicts(echo)["leak.no_leak"] == "fail"
    assert verdicts(on_thread)["leak.no_leak"] == "pass"
