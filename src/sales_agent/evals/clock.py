"""The eval clock: one pinned 'now' for every case, so a run is the same on any day."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["EVAL_CLOCK"]

EVAL_CLOCK = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""Monday 2 March 2026, 09:00 UTC: the sandbox is seeded at it and every run's context uses it
(a dataset line may set its own `now`)."""
