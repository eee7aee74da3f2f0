"""The shared timing of latency benchmarks: warm-up, runs, and percentiles per call."""

import json
from pathlib import Path

from sales_agent.bench.reader import run_reader_bench
from sales_agent.bench.report import time_calls


def test_every_call_is_warmed_once_then_timed_once_per_run() -> None:
    made: list[str] = []
    calls = [lambda name=name: made.append(name) for name in ("a", "b", "c")]

    latency = time_calls(calls, runs=3)

    assert made == ["a", "b", "c"] * 4  # one warm-up pass, then three timed runs
    assert latency.runs == 3
    assert 0 <= latency.p50_ms <= latency.p95_ms <= latency.p99_ms


def test_the_reader_bench_reads_each_inbound_message(tmp_path: Path) -> None:
    cases = [
        {
            "inbound": {
                "body": "Please remove me from your list.",
                "subject": "Re: hi",
                "from": "a@x.example",
            },
            "expect": {"intent": "unsubscribe"},
        },
        {
            "inbound": {
                "body": "<p>Out of office until Monday.</p>",
                "html": True,
                "subject": "Auto",
                "from": "b@x.example",
            },
            "expect": {"intent": "out_of_office"},
        },
        {"note": "a line without an inbound message is not read", "expect": {"intent": "x"}},
    ]
    dataset = tmp_path / "replies.jsonl"
    dataset.write_text("\n".join(json.dumps(case) for case in cases) + "\n", encoding="utf-8")

    result = run_reader_bench(dataset, runs=2)

    assert (result.messages, result.runs) == (2, 2)
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms
