"""Where the benchmarks read their inputs and write their report, relative to a checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEFAULT_GOLDEN_PATH", "DEFAULT_REPORT_PATH"]

DEFAULT_GOLDEN_PATH = Path("tests/golden/gate_drafts.json")
DEFAULT_REPORT_PATH = Path("docs/BENCHMARKS.md")
