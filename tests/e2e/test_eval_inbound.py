"""The inbound-message path end to end: insert into the sandbox mailbox, run, score; and the
LangSmith upload of that run against a local recorder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from langsmith_recorder import LangSmithRecorder
from sales_agent.config import Settings
from sales_agent.evals.clock import EVAL_CLOCK
from sales_agent.evals.runner import EvalRun, run_on_services
from sales_agent.evals.workspace import open_eval_services
from sales_agent.services import Services

STARTED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LINES = [
    {
        "name": "unknown-sender-meeting",
        "split": "test",
        "lang": "en",
        "inbound": {
            "from": "Jo Bloggs <jo@newco.example>",
            "subject": "Returns at our Leeds site",
            "body": "Hi Dana,\n\nOur biggest problem is returns piling up at the Leeds site. "
            "Could we have a call next week? Thursday afternoon suits me.\n\nThanks,\nJo",
            "html": False,
            "quoted_history": "Hi Jo,\n\nGood to meet you at the expo.\n\nCheers,\nDana",
        },
        "expect": {"intent": "meeting_request", "draft": True, "slots_on": ["Thursday"]},
    },
    {
        "name": "crm-contact-unsubscribes-html",
        "split": "test",
        "inbound": {
            "from": "Priya Natarajan <priya@northwind-logistics.example>",
            "subject": "Please stop",
            "body": "<div>Please <b>unsubscribe</b> me from these emails.</div>",
            "html": True,
        },
        "expect": {"intent": "unsubscribe", "draft": False, "suppressed": True},
    },
]


@pytest.fixture(scope="module")
def eval_services(settings: Settings) -> Iterator[Services]:
    with open_eval_services(settings, EVAL_CLOCK, fresh_database=False) as services:
        yield services


@pytest.fixture(scope="module")
def result(eval_services: Services, tmp_path_factory: pytest.TempPathFactory) -> EvalRun:
    folder = tmp_path_factory.mktemp("inbound")
    dataset = folder / "inbound.jsonl"
    dataset.write_text("".join(json.dumps(line) + "\n" for line in LINES))
    return run_on_services(
        eval_services, [dataset], split="test", trace_dir=folder / "traces", started_at=STARTED
    )


def test_the_message_is_inserted_as_gmail_delivered_it(
    result: EvalRun, eval_services: Services
) -> None:
    first = result.cases[0].trace
    assert first.thread_id is not None and first.thread_id.startswith("gmail:")
    thread = eval_services.connectors.gmail.get_thread(first.thread_id.removeprefix("gmail:"))
    inbound = thread.messages[0]
    assert inbound.sender.email == "jo@newco.example"
    assert inbound.date == EVAL_CLOCK  # dated by its Date header: the eval clock
    assert "INBOX" in inbound.label_ids and "> Good to meet you at the expo." in inbound.body_text
    assert [m.is_draft for m in thread.messages] == [False, True]  # our reply waits as a draft


def test_an_unknown_sender_is_a_new_lead_without_a_crm_record(result: EvalRun) -> None:
    trace = result.cases[0].trace
    assert trace.context.lead_email == "jo@newco.example"
    assert trace.context.lead_company is None and trace.outputs.crm_note_id is None
    assert trace.outputs.recipients == ["jo@newco.example"]
    assert trace.context.lead_text.startswith("Hi Dana,") and "expo" not in trace.context.lead_text


def test_each_case_is_scored(result: EvalRun) -> None:
    meeting, unsubscribe = ({v.name: v for v in c.verdicts} for c in result.cases)
    assert meeting["expect.intent"].status == "pass"
    assert meeting["expect.draft"].status == "pass"
    assert meeting["hard.one_cta"].status == "pass"
    assert meeting["slots.stated_times"].status in ("pass", "fail")  # measured, not assumed
    assert unsubscribe["expect.suppressed"].status == "pass"
    assert unsubscribe["hard.no_em_dash"].status == "na"  # no draft is not a failure
    assert unsubscribe["trajectory.path"].status == "pass"


def test_the_traces_are_written_one_per_case(result: EvalRun) -> None:
    assert result.trace_dir is not None
    [trace_file] = result.trace_dir.glob("*.jsonl")
    assert trace_file.name == "inbound-test.jsonl"
    records = [json.loads(line) for line in trace_file.read_text().splitlines()]
    assert [r["case"] for r in records] == [
        "unknown-sender-meeting",
        "crm-contact-unsubscribes-html",
    ]
    assert records[0]["run"]["started_at"].startswith("2026-03-02T09:30")
    assert records[0]["now"].startswith("2026-03-02T09:00")


def test_the_run_uploads_to_langsmith(
    result: EvalRun, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sales_agent.evals.langsmith_sync import DATASET_PREFIX, upload_run

    dataset = next(result.trace_dir.parent.glob("inbound.jsonl"))  # type: ignore[union-attr]
    with LangSmithRecorder() as recorder:
        monkeypatch.setenv("LANGSMITH_ENDPOINT", recorder.url)
        monkeypatch.setenv("LANGSMITH_API_KEY", "test-key")
        monkeypatch.delenv("LANGSMITH_PROJECT", raising=False)
        upload_run(result, [dataset])
        upload_run(result, [dataset])  # the same content: the dataset and examples are reused
        store = recorder.store
    assert [d["name"] for d in store.datasets.values()] == [DATASET_PREFIX + "inbound"]
    assert len(store.examples) == 2
    assert {e["inputs"]["name"] for e in store.examples.values()} == {c["name"] for c in LINES}
    assert sum(r.path == "/examples/bulk" for r in store.requests) == 1
    experiments = list(store.sessions.values())
    assert len(experiments) == 2
    assert all(s["reference_dataset_id"] in store.datasets for s in experiments)
    runs = list(store.runs.values())
    assert len(runs) == 4
    assert {r["reference_example_id"] for r in runs} == set(store.examples)
    per_run = len(result.cases[0].verdicts)
    assert len(store.feedback) == 4 * per_run
    keys = {f["key"] for f in store.feedback}
    assert {"hard.no_em_dash", "expect.intent", "leak.no_leak", "trajectory.path"} <= keys
    na = [f for f in store.feedback if f["value"] == "n/a"]
    assert na and all(f.get("score") is None for f in na)
    assert {f.get("score") for f in store.feedback} >= {1.0}


def test_without_a_key_the_flag_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from sales_agent.evals.langsmith_sync import langsmith_problem

    monkeypatch.delenv("LANGSMITH_API_KEY", raising=False)
    assert "LANGSMITH_API_KEY" in (langsmith_problem() or "")
