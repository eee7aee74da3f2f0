"""docs/BENCHMARKS.md: each benchmark owns one marked section and rewrites only that one."""

from __future__ import annotations

import os
import platform
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

__all__ = ["CallLatency", "machine_summary", "median_percentiles", "time_calls", "update_section"]

_HEADER = (
    "# Benchmarks\n\n"
    "Measured by `sales-agent bench ...` commands (never by timed unit tests). Each section\n"
    "is rewritten by its own command; the targets come from DESIGN.md section 12.\n"
)


def machine_summary() -> str:
    """Cores, OS, CPU architecture and Python version: enough to compare two reports."""
    return (
        f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


def median_percentiles(
    runs: Sequence[Sequence[float]], percentiles: Sequence[int]
) -> dict[int, float]:
    """Each percentile of each run's samples, then its median over the runs.

    The median of per-run percentiles rather than one percentile of all samples: one noisy
    run (a neighbour process, a cold cache) then moves the figure little.
    """
    per_run = [statistics.quantiles(samples, n=100, method="inclusive") for samples in runs]
    return {p: statistics.median(cuts[p - 1] for cuts in per_run) for p in percentiles}


class CallLatency(BaseModel):
    """Medians over runs of each run's percentiles, in milliseconds per call."""

    model_config = ConfigDict(frozen=True)

    runs: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


def time_calls(calls: Sequence[Callable[[], object]], *, runs: int) -> CallLatency:
    """Make every call once to warm caches, then time each of them in `runs` runs."""
    for call in calls:
        call()
    per_run: list[list[float]] = []
    for _ in range(runs):
        samples = []
        for call in calls:
            start = time.perf_counter_ns()
            call()
            samples.append((time.perf_counter_ns() - start) / 1e6)
        per_run.append(samples)
    cuts = median_percentiles(per_run, (50, 95, 99))
    return CallLatency(runs=runs, p50_ms=cuts[50], p95_ms=cuts[95], p99_ms=cuts[99])


def update_section(path: Path, key: str, markdown: str) -> None:
    """Replace the section marked `key` in `path` (append it, or create the file, if new)."""
    start, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
