"""The critical path of a run's external calls: overlapping calls cost one round trip."""

from __future__ import annotations

from sales_agent.bench.sandbox_calls import SandboxCall, critical_path


def _call(started: float, ended: float) -> SandboxCall:
    return SandboxCall("GET", "/x", started, ended)


def test_calls_one_after_another_are_all_on_the_critical_path() -> None:
    assert critical_path([_call(0, 1), _call(1, 2), _call(2.5, 3)]) == 3


def test_overlapping_calls_count_once() -> None:
    calls = [_call(0, 1), _call(0.1, 1.1), _call(1.2, 2), _call(1.2, 2.1), _call(2.2, 3)]
    assert critical_path(calls) == 3


def test_no_calls_no_path() -> None:
    assert critical_path([]) == 0
