"""What a worker's tasks share: the services, the compiled graph, the worker's identity."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from dataclasses import dataclass, field

from sales_agent.jobs.followup_runs import FollowupGraph
from sales_agent.services import Services

__all__ = ["WorkerRuntime"]


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class WorkerRuntime:
    """Handed to every task through procrastinate's `additional_context["runtime"]`."""

    services: Services
    graph: FollowupGraph
    stalled_after: float = 30.0
    """Seconds without a heartbeat after which another worker's jobs are requeued."""
    worker_id: str = field(default_factory=_worker_id)
    jobs_done: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def job_done(self) -> None:
        """Count a finished job (sync tasks finish on several threads)."""
        with self._lock:
            self.jobs_done += 1
