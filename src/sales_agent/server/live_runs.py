"""Runs executing in this process, their events kept so a client can rejoin or cancel them.

A streamed run publishes every event it sends to a `LiveRun`; the client's own stream and
any later `GET /threads/{id}/runs/{run_id}/stream` follow the same list (from the start, or
after the `Last-Event-ID` they last saw). Finished runs are kept for a while (the newest
`KEEP_FINISHED`) so a client that lost its connection at the end can still read the last
events.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["KEEP_FINISHED", "LiveRun", "LiveRuns"]

KEEP_FINISHED = 200
"""How many finished runs keep their events for a late rejoin."""
_POLL = 0.05


@dataclass
class LiveRun:
    """One run's events so far, and whether it has ended."""

    run_id: str
    thread_id: str
    events: list[tuple[str, Any]] = field(default_factory=list)
    done: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, event: str, data: Any) -> None:
        """Append an event (from the run's thread)."""
        with self._lock:
            self.events.append((event, data))

    def finish(self) -> None:
        """No more events will come."""
        self.done = True

    async def follow(self, after: int = -1) -> AsyncIterator[tuple[int, str, Any]]:
        """`(index, event, data)` for every event after index `after`, until the run ends."""
        index = after + 1
        while True:
            with self._lock:
                pending = self.events[index:]
                ended = self.done
            for offset, (event, data) in enumerate(pending):
                yield index + offset, event, data
            index += len(pending)
            if ended and not pending:
                return
            if not pending:
                await asyncio.sleep(_POLL)


class LiveRuns:
    """The process's live (and recently finished) runs by id."""

    def __init__(self) -> None:
        self._runs: OrderedDict[str, LiveRun] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, run_id: str, thread_id: str) -> LiveRun:
        """Register a run that is starting."""
        run = LiveRun(run_id, thread_id)
        with self._lock:
            self._runs[run_id] = run
            finished = [key for key, value in self._runs.items() if value.done]
            for key in finished[: max(0, len(finished) - KEEP_FINISHED)]:
                del self._runs[key]
        return run

    def get(self, thread_id: str, run_id: str) -> LiveRun | None:
        """The run, if this process runs (or recently ran) it on that thread."""
        with self._lock:
            run = self._runs.get(run_id)
        return run if run is not None and run.thread_id == thread_id else None
