"""The costs that could grow with the workspace, measured at N contacts.

A sandbox of N generated contacts (`sandbox --scale N`) on a throwaway database: the CRM
sync into the mirror, then, with the mirror filled, a `serve` process's start to ready,
identity resolution and the gate per draft, the follow-up graph's trigger to approval, the
Gmail sync's rate (batched fetch, stored in the embedding backlog) and the rate the backlog
is embedded at, and the peak
memory of a worker process that runs follow-ups (`bench/_scale_worker.py`).
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sales_agent.bench.followup import timed_run
from sales_agent.bench.leads import form_leads
from sales_agent.bench.processes import free_port, process_env, sales_agent_processes, wait_until_up
from sales_agent.bench.report import median_percentiles
from sales_agent.config import Settings
from sales_agent.db.crm_mirror import names_since
from sales_agent.domain import Draft
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.jobs.followup_runs import compile_followup, forget_followup_thread
from sales_agent.memory.crm_sync import sync
from sales_agent.memory.embedding_backlog import embed_backlog, queue_documents
from sales_agent.memory.gmail_index import indexable_documents
from sales_agent.nodes.resolve_identity import lookup_identity
from sales_agent.policy.gate_context import gather_gate_context
from sales_agent.policy.quality import evaluate_draft
from sales_agent.services import Services, migrated_database_url, open_pool, open_services

__all__ = ["GMAIL_SAMPLE", "ScaleResult", "run_scale_bench"]

_LEAD = "kofi.hughes@mueller-soehne.example"  # a seeded lead, the same at every scale
GMAIL_SAMPLE = 1000


@dataclass(frozen=True)
class ScaleResult:
    """One scale's figures (medians of the repeated runs)."""

    contacts: int
    sandbox_build_s: float
    sync_s: float
    sync_records: int
    start_to_ready_s: float
    services_open_s: float
    identity_p95_ms: float
    gate_p95_ms: float
    followup_p50_ms: float
    followup_p95_ms: float
    gmail_per_s: float
    gmail_embed_per_s: float
    worker_peak_mb: float
    embeddings: str
    """The embedding provider the Gmail index and the follow-ups used (`describe()`)."""


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _start_to_ready(services: Services, workdir: Path, runs: int) -> float:
    """Seconds from spawning `serve` to its /ready answering 200 (median of `runs`)."""
    seconds = []
    for _ in range(runs):
        port = free_port()
        started = time.perf_counter()
        with sales_agent_processes(services, workdir, [["serve", "--port", str(port)]]) as procs:
            process, log = procs[0]
            wait_until_up(f"http://127.0.0.1:{port}/ready", process, log, timeout=120)
            seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def _services_open(settings: Settings, runs: int) -> float:
    """Seconds to open a process's services in-process (migrate check, pool, connectors)."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        with open_services(settings):
            seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def _identity_p95(services: Services, emails: list[str], runs: int) -> float:
    samples = [
        [_timed(partial(lookup_identity, services, email)) for email in emails] for _ in range(runs)
    ]
    return median_percentiles(samples, (95,))[95]


def _gate_p95(services: Services, names: list[str], runs: int) -> float:
    """Per draft: the mirror's version check and the whole gate, with CRM names in the text."""
    recipient = lookup_identity(services, _LEAD)
    with services.pool.connection() as conn:
        ctx = gather_gate_context(
            conn, settings=services.settings, voice=services.voice,
            names=services.crm_names, recipient=recipient,
        )  # fmt: skip
        drafts = [
            Draft(to=(_LEAD,), subject="Re: Notes", body=f"Hi Kofi,\n\n{a} and {b} agreed.\n\nDana")
            for a, b in zip(names[::2], names[1::2], strict=False)
        ]

        def check(draft: Draft) -> None:
            services.crm_names.refresh(conn)
            evaluate_draft(draft, ctx)

        samples = [[_timed(partial(check, d)) for d in drafts] for _ in range(runs)]
    return median_percentiles(samples, (95,))[95]


def _followups(services: Services, leads: int, runs: int) -> tuple[float, float]:
    graph = compile_followup(services)
    used: list[str] = []
    try:
        latencies = []
        for run in range(runs + 1):  # the first round warms up
            triggers = list(form_leads(services, leads, f"scale{run}", "Can we talk pricing?"))
            used += [thread_id_for(t) for t in triggers]
            timed = [timed_run(services, graph, t).ms for t in triggers]
            if run:
                latencies.append(timed)
    finally:
        for thread_id in used:
            forget_followup_thread(services, thread_id)
    cuts = median_percentiles(latencies, (50, 95))
    return cuts[50], cuts[95]


def _gmail_rates(services: Services) -> tuple[float, float]:
    """Messages per second through the full sync's path, then through the embedding drain.

    The sync's path: batched fetch, one multi-row insert into the embedding backlog.
    """
    gmail, ids = services.connectors.gmail, list[str]()
    token: str | None = None
    while len(ids) < GMAIL_SAMPLE:
        page = gmail.list_messages(page_token=token, max_results=100)
        ids += [m.id for m in page.messages]
        if (token := page.next_page_token) is None:
            break
    started = time.perf_counter()
    fetched = gmail.get_messages(ids[:GMAIL_SAMPLE])
    documents = indexable_documents(services, [m for m in fetched.values() if m is not None])
    with services.pool.connection() as conn, conn.transaction():
        queue_documents(conn, documents)
    synced = len(ids[:GMAIL_SAMPLE]) / (time.perf_counter() - started)
    return synced, embed_backlog(services).per_second


def _worker_peak_mb(services: Services, workdir: Path, leads: int) -> float:
    env = process_env(services, workdir / "data")
    out = subprocess.run(
        [sys.executable, "-m", "sales_agent.bench._scale_worker", str(leads)],
        env=env, capture_output=True, text=True, check=True, cwd=workdir,
    )  # fmt: skip
    return float(json.loads(out.stdout.strip().splitlines()[-1])["peak_mb"])


def run_scale_bench(
    settings: Settings, sandbox_url: str, *, contacts: int, build_s: float, runs: int, leads: int
) -> ScaleResult:
    """Every figure at one scale; `settings` name a throwaway database, empty."""
    settings = settings.model_copy(update={"sandbox_url": sandbox_url})
    url = migrated_database_url(settings)
    with open_pool(url) as pool:
        from sales_agent.connectors import build_connectors

        hubspot = build_connectors(settings, sandbox_url).hubspot
        report = sync(pool, hubspot)
    with open_services(settings) as services, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with services.pool.connection() as conn:
            every = names_since(conn, 0)
        rng = random.Random(7)
        people = [n for n in every if n.kind == "person"]
        emails = [p.key for p in rng.sample(people, min(200, len(people)))]
        names = [n.name for n in rng.sample(every, min(400, len(every)))]
        start_s = _start_to_ready(services, workdir, runs)
        open_s = _services_open(settings, runs)
        identity = _identity_p95(services, emails, runs)
        gate = _gate_p95(services, names, runs)
        p50, p95 = _followups(services, leads, runs)
        gmail, embedded = _gmail_rates(services)
        peak = _worker_peak_mb(services, workdir, leads)
    return ScaleResult(
        contacts=contacts, sandbox_build_s=round(build_s, 1), sync_s=round(report.seconds, 1),
        sync_records=report.records, start_to_ready_s=round(start_s, 2),
        services_open_s=round(open_s, 2),
        identity_p95_ms=round(identity, 2), gate_p95_ms=round(gate, 3),
        followup_p50_ms=round(p50, 1), followup_p95_ms=round(p95, 1),
        gmail_per_s=round(gmail, 1), gmail_embed_per_s=round(embedded, 1),
        worker_peak_mb=round(peak, 1),
        embeddings=services.embedding_spec.describe(),
    )  # fmt: skip
