"""Sustained load with faults, counted: `sales-agent bench chaos`.

On a throwaway database: `sales-agent serve --no-worker` takes signed HubSpot webhooks and
`workers` separate `sales-agent worker` processes run the follow-ups, against the bench's
in-process sandbox. Every lead (a new CRM contact) is one `contact.creation` event, and
every event is delivered `redeliveries` times, shuffled, as HubSpot's retries would. While
the load runs, every sandbox route fails 20% of its calls: 15% answer an error (429 with
Retry-After on HubSpot, 503 on Gmail, 500 on Calendar and Drive) and 5% time out (answered
after the processes' client timeout; the sandbox still carries the call out, as a slow real
API would, so a timed-out write may have happened). A random worker is SIGKILLed (and a new
one started) every few seconds, and the embedded Postgres is restarted once. A delivery the
server refuses (Postgres down) is delivered again, as HubSpot does. Then the bench waits for
every event's run to settle and counts (see `chaos_counts`).
"""

from __future__ import annotations

import concurrent.futures
import os
import random
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from sales_agent.bench.chaos_counts import (
    SETTLED,
    EventRun,
    Leftovers,
    count_leftovers,
    event_runs,
)
from sales_agent.bench.chaos_load import SECRET, deliver, event_body, send_all
from sales_agent.bench.processes import free_port, sales_agent_processes, wait_until_up
from sales_agent.db.embedded import embedded_database_url, stop_embedded
from sales_agent.memory.drive_index import index_drive, indexed_file_count
from sales_agent.services import Services

__all__ = [
    "CLIENT_TIMEOUT_SECONDS",
    "FAULT_RATE",
    "SLOW_ANSWER_MS",
    "TIMEOUT_SHARE",
    "ChaosResult",
    "run_chaos_bench",
]

FAULT_RATE = 0.2
TIMEOUT_SHARE = 0.05
"""Of all calls on a route, the share that times out (the rest of FAULT_RATE are errors)."""
CLIENT_TIMEOUT_SECONDS = 2.0
"""The bench's server and workers wait this long for an answer (SALES_AGENT_API_TIMEOUT_SECONDS)."""
SLOW_ANSWER_MS = 3000
"""A timed-out call's answer comes this late: after the client gave up."""
_ERRORS = (
    {"route": "^/(crm|marketing|form-integrations)/", "status": 429, "retry_after": 0},
    {"route": "^/gmail/", "status": 503},
    {"route": "^/(calendar|drive)/", "status": 500},
)
_WORKER = ["worker", "--concurrency", "2", "--heartbeat", "1", "--stalled-after", "3"]
_AUDIENCE_BASE = 8001  # the sandbox's generated contacts start at this id
_DRAIN_TIMEOUT = 900.0
_WARMUP_EVENT = 999_999
_KILL_EVERY = 4.5  # seconds between kills, on average
_CLIENT_ENV = {"SALES_AGENT_API_TIMEOUT_SECONDS": str(CLIENT_TIMEOUT_SECONDS)}


@dataclass(frozen=True)
class ChaosResult:
    """What went in, what came out, what broke, and how long it all took."""

    leads: int
    deliveries: int
    redeliveries: int
    workers: int
    kills: int
    postgres_restarts: int
    timeouts: int
    """Calls the sandbox answered only after the client's timeout."""
    drafts: int
    leftovers: Leftovers
    lost_triggers: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    drain_seconds: float

    @property
    def meets_targets(self) -> bool:
        """No duplicate, no lost trigger, no quota overrun."""
        left = self.leftovers
        return not (
            left.duplicate_drafts
            or left.duplicate_notes
            or left.duplicate_sends
            or left.quota_overruns
            or self.lost_triggers
        )


def _faults() -> list[dict[str, object]]:
    """The errors on every route, then the timeouts stacked behind them (see `FaultPlan`)."""
    error_rate = FAULT_RATE - TIMEOUT_SHARE
    # The timeout fault sees only the calls the error fault let pass: its rate is of those.
    slow_rate = round(TIMEOUT_SHARE / (1 - error_rate), 4)
    errors = [{**fault, "rate": round(error_rate, 4)} for fault in _ERRORS]
    slow = [
        {"route": fault["route"], "latency_ms": SLOW_ANSWER_MS, "rate": slow_rate}
        for fault in _ERRORS
    ]
    return [*errors, *slow]


def _timeouts(sandbox: str) -> int:
    """How many calls the timeout faults hit so far."""
    faults = httpx.get(f"{sandbox}/_sandbox/faults").json()["faults"]
    return sum(f["hit"] for f in faults if f.get("latency_ms") and "status" not in f)


class _Workers:
    """The worker processes; `kill_one` SIGKILLs a random one and starts a replacement."""

    def __init__(self, services: Services, stack: ExitStack, workdir: Path, count: int) -> None:
        self._services, self._stack, self._workdir = services, stack, workdir
        self._started = 0
        self.kills = 0
        self._live = [self._start() for _ in range(count)]

    def _start(self) -> subprocess.Popen[bytes]:
        self._started += 1
        folder = self._workdir / f"worker-{self._started}"
        folder.mkdir()
        started = sales_agent_processes(self._services, folder, [_WORKER], _CLIENT_ENV)
        return self._stack.enter_context(started)[0][0]

    def kill_one(self, rng: random.Random) -> None:
        """SIGKILL a random worker, mid-job or not, and start another in its place."""
        victim = self._live.pop(rng.randrange(len(self._live)))
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
        self.kills += 1
        self._live.append(self._start())

    def revive(self) -> None:
        """Replace any worker that exited on its own (it lost its database, for one)."""
        for i, process in enumerate(self._live):
            if process.poll() is not None:
                self._live[i] = self._start()


def _restart_postgres(embedded_dir: Path | None) -> bool:
    """Stop and start the embedded Postgres; False when the database is not ours to restart."""
    if embedded_dir is None:
        return False
    stop_embedded(embedded_dir)
    time.sleep(1.0)
    embedded_database_url(embedded_dir)
    return True


def _accounted(runs: list[EventRun]) -> bool:
    """The event reached the approval or an end, or failed with its reason recorded."""
    return any(r.status in SETTLED and (r.status != "error" or r.error) for r in runs)


def _drain(database_url: str, event_ids: set[str], workers: _Workers) -> dict[str, list[EventRun]]:
    """Wait until every event's run settled (or the timeout); the runs by event id."""
    deadline = time.monotonic() + _DRAIN_TIMEOUT
    runs: dict[str, list[EventRun]] = {}
    while time.monotonic() < deadline:
        try:
            runs = event_runs(database_url)
        except psycopg.OperationalError:
            time.sleep(1.0)  # Postgres is restarting
            continue
        workers.revive()
        if all(_accounted(runs.get(e, [])) for e in event_ids) and not any(
            r.status not in SETTLED for e in event_ids for r in runs.get(e, [])
        ):
            return runs
        time.sleep(0.5)
    return runs


def _wait_ms(runs: dict[str, list[EventRun]], first_ack: dict[int, float]) -> list[float]:
    """Each event's time from its first acknowledged delivery to its run's approval."""
    return [
        (run.updated_at.timestamp() - first_ack[int(event)]) * 1000
        for event, event_runs_ in runs.items()
        if int(event) in first_ack
        for run in event_runs_
        if run.status == "interrupted"
    ]


def _chaos_loop(
    stop: threading.Event,
    workers: _Workers,
    rng: random.Random,
    kills: int,
    restart: Callable[[], bool],
) -> int:
    """Kill a worker every 3-6 s, `kills` times; restart Postgres once, after the second kill.

    Returns the number of Postgres restarts done.
    """
    restarted = 0
    while not stop.wait(rng.uniform(_KILL_EVERY - 1.5, _KILL_EVERY + 1.5)):
        workers.revive()
        if workers.kills < kills:
            workers.kill_one(rng)
        if workers.kills == 2 and not restarted:
            restarted = int(restart())
    return restarted


def run_chaos_bench(
    services: Services,
    *,
    leads: int,
    workers: int,
    redeliveries: int,
    kills: int,
    embedded_dir: Path | None,
    seed: int = 7,
) -> ChaosResult:
    """Run the load with its faults, wait for it to drain, and count; see the module doc.

    `embedded_dir`: the data folder of the embedded Postgres the database lives on, restarted
    once during the load; None for an external server (not the bench's to restart).
    """
    assert services.sandbox_url is not None, "the chaos bench runs against the sandbox"
    sandbox = services.sandbox_url
    if indexed_file_count(services) == 0:
        index_drive(services)
    # One contact more than the leads: the warm-up's.
    audience = {"contacts": leads + 1}
    httpx.post(f"{sandbox}/_sandbox/audience", json=audience).raise_for_status()
    rng = random.Random(seed)
    events = [(1_000_000 + n, _AUDIENCE_BASE + n) for n in range(leads)]
    deliveries = [e for e in events for _ in range(redeliveries)]
    rng.shuffle(deliveries)
    port = free_port()
    url = f"http://127.0.0.1:{port}/webhooks/hubspot"
    secrets = {"SALES_AGENT_HUBSPOT_APP_SECRET": SECRET, **_CLIENT_ENV}
    with tempfile.TemporaryDirectory(prefix="bench-chaos-") as work, ExitStack() as stack:
        serve = ["serve", "--port", str(port), "--no-worker"]
        [(server, log)] = stack.enter_context(
            sales_agent_processes(services, Path(work), [serve], secrets)
        )
        wait_until_up(f"http://127.0.0.1:{port}/health", server, log)
        pool = _Workers(services, stack, Path(work), workers)
        with httpx.Client(timeout=30) as client:
            # Warm-up, before any fault: the workers are up and have run one lead.
            deliver(client, url, event_body(_WARMUP_EVENT, _AUDIENCE_BASE + leads))
        _drain(services.database_url, {str(_WARMUP_EVENT)}, pool)
        for fault in _faults():
            httpx.post(f"{sandbox}/_sandbox/faults", json=fault).raise_for_status()
        stop = threading.Event()
        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=5) as chaos_pool:
            chaos = chaos_pool.submit(
                _chaos_loop, stop, pool, rng, kills, lambda: _restart_postgres(embedded_dir)
            )
            try:
                first_ack = send_all(url, deliveries, gap=(kills * _KILL_EVERY + 5.0))
                runs = _drain(services.database_url, {str(e) for e, _ in events}, pool)
            finally:
                stop.set()  # else the pool would wait forever for the chaos loop
            restarts = chaos.result()
        drained = time.time() - started
        timeouts = _timeouts(sandbox)
        httpx.delete(f"{sandbox}/_sandbox/faults").raise_for_status()
    leftovers = count_leftovers(sandbox, services.database_url)
    waits = _wait_ms(runs, first_ack)
    cuts = statistics.quantiles(waits, n=100, method="inclusive") if len(waits) > 1 else [0.0] * 99
    return ChaosResult(
        leads=leads,
        deliveries=len(deliveries),
        redeliveries=redeliveries,
        workers=workers,
        kills=pool.kills,
        postgres_restarts=restarts,
        timeouts=timeouts,
        drafts=leftovers.drafts,
        leftovers=leftovers,
        lost_triggers=sum(1 for e, _ in events if not _accounted(runs.get(str(e), []))),
        errors=sum(1 for e, _ in events if any(r.status == "error" for r in runs.get(str(e), []))),
        p50_ms=round(cuts[49], 1),
        p95_ms=round(cuts[94], 1),
        p99_ms=round(cuts[98], 1),
        drain_seconds=round(drained, 1),
    )
