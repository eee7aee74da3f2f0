"""`sales-agent bench`: run a benchmark, print it, and update its section of the report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sales_agent.bench.paths import DEFAULT_GOLDEN_PATH, DEFAULT_REPORT_PATH
from sales_agent.errors import SalesAgentError

__all__ = ["bench_app"]

bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks; results go to docs/BENCHMARKS.md.")
console = Console()


@bench_app.callback()
def _group() -> None:
    """Benchmarks; each updates its own section of docs/BENCHMARKS.md."""


@bench_app.command("reader")
def reader(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (medians are taken).")] = 5,
    dataset: Annotated[Path, typer.Option(help="Labelled replies (JSON lines).")] = Path(
        "evals/datasets/replies.jsonl"
    ),
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Offline reader latency per message (target p95 under 30 ms)."""
    from sales_agent.bench.reader import TARGET_P95_MS, reader_report, run_reader_bench

    if not dataset.exists():
        raise SalesAgentError(f"{dataset} not found: run from a checkout, or pass --dataset PATH")
    result = run_reader_bench(dataset, runs=runs)
    console.print(
        f"offline reader, {result.messages} messages x {runs} runs: p50 {result.p50_ms:.2f} ms, "
        f"p95 {result.p95_ms:.2f} ms, p99 {result.p99_ms:.2f} ms "
        f"(target p95 < {TARGET_P95_MS:g} ms)"
    )
    if write:
        reader_report(result, command=f"sales-agent bench reader --runs {runs}", report=report)


@bench_app.command("gate")
def gate(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (medians are taken).")] = 5,
    evaluations: Annotated[int, typer.Option(min=100, help="Evaluations per run.")] = 1000,
    golden: Annotated[Path, typer.Option(help="Golden drafts file.")] = DEFAULT_GOLDEN_PATH,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Quality gate latency per draft (target p95 under 5 ms); exit 1 if the target is missed."""
    from sales_agent.bench.gate import TARGET_P95_MS, gate_report, run_gate_bench

    if not golden.exists():
        raise SalesAgentError(
            f"{golden} not found: run from a checkout of the repository, or pass --golden PATH"
        )
    result = run_gate_bench(golden, runs=runs, evaluations=evaluations)
    console.print(
        f"quality gate, {result.drafts} drafts, {runs} x {evaluations} evaluations: "
        f"p50 {result.p50_ms:.3f} ms, p95 {result.p95_ms:.3f} ms, p99 {result.p99_ms:.3f} ms "
        f"(target p95 < {TARGET_P95_MS:g} ms)"
    )
    if write:
        command = f"sales-agent bench gate --runs {runs} --evaluations {evaluations}"
        gate_report(result, command=command, golden_path=golden, report=report)
        console.print(f"updated {report}")
    if not result.meets_target:
        raise typer.Exit(1)


@bench_app.command("voice")
def voice(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (the median is taken).")] = 5,
    emails: Annotated[int, typer.Option(min=100, help="Emails per run (replicated).")] = 3000,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Voice learning throughput (target 500 emails/s); exit 1 if the target is missed."""
    from sales_agent.bench.voice import (
        TARGET_EMAILS_PER_SECOND,
        run_voice_bench,
        sandbox_corpus,
        voice_report,
    )

    result = run_voice_bench(sandbox_corpus(), emails=emails, runs=runs)
    console.print(
        f"voice learning, {result.emails} emails x {runs} runs: median "
        f"{result.median_seconds:.3f} s, {result.emails_per_second:.0f} emails/s "
        f"(target >= {TARGET_EMAILS_PER_SECOND:g})"
    )
    if write:
        command = f"sales-agent bench voice --runs {runs} --emails {emails}"
        voice_report(result, command=command, report=report)
        console.print(f"updated {report}")
    if not result.meets_target:
        raise typer.Exit(1)


@bench_app.command("followup")
def followup(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (medians are taken).")] = 5,
    leads: Annotated[int, typer.Option(min=5, help="Leads per run.")] = 20,
    api_latency_ms: Annotated[
        int, typer.Option(min=0, help="Delay added to every sandbox API call (a real round trip).")
    ] = 0,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Trigger to approval (p50 < 250 ms, p95 < 500 ms), model calls, external calls.

    With --api-latency-ms 100 the target is p50 under 1 s. Exit 1 if a target is missed.
    """
    from sales_agent.bench.followup import followup_report, run_followup_bench
    from sales_agent.config import sandbox_settings
    from sales_agent.services import open_services

    with open_services(sandbox_settings()) as services:
        result = run_followup_bench(services, leads=leads, runs=runs, api_latency_ms=api_latency_ms)
    console.print(
        f"follow-up, {runs} runs x {leads} leads, API latency {api_latency_ms} ms: "
        f"p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, overhead {result.overhead}, "
        f"model calls per draft {result.model_calls_per_draft:g}, external calls per run "
        f"{result.external_calls:g} ({result.critical_path_calls:g} on the critical path)"
    )
    if write:
        command = f"sales-agent bench followup --runs {runs} --leads {leads}"
        if api_latency_ms:
            command += f" --api-latency-ms {api_latency_ms}"
        followup_report(result, command=command, report=report)
        console.print(f"updated {report}")
    if not result.meets_targets:
        raise typer.Exit(1)


@bench_app.command("retrieval")
def retrieval(
    chunks: Annotated[int, typer.Option(min=1000, help="Generated chunks in the index.")] = 100_000,
    queries: Annotated[int, typer.Option(min=10, help="Queries per run.")] = 200,
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (medians are taken).")] = 5,
    real_sample: Annotated[
        int, typer.Option(min=0, help="Sandbox chunks embedded with MiniLM for recall (0: skip).")
    ] = 2000,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Search latency at scale (target p95 under 50 ms) and HNSW recall@10; exit 1 if missed."""
    from sales_agent.bench.retrieval import (
        TARGET_P95_MS,
        real_recall,
        retrieval_report,
        run_retrieval_bench,
    )
    from sales_agent.bench.retrieval_data import sandbox_texts
    from sales_agent.config import EmbeddingsProvider, get_settings
    from sales_agent.memory.embeddings import embedding_spec, embeddings_for
    from sales_agent.services import migrated_database_url, open_pool

    settings = get_settings()
    database_url = migrated_database_url(settings)
    with open_pool(database_url, max_size=2) as pool:
        console.print(f"generating and indexing {chunks} chunks...")
        result = run_retrieval_bench(pool, database_url, chunks=chunks, queries=queries, runs=runs)
        console.print(
            f"retrieval, {chunks} chunks: HNSW built in {result.build_seconds:.1f} s; "
            f"p50 {result.p50_ms:.2f} ms, p95 {result.p95_ms:.2f} ms "
            f"(target p95 < {TARGET_P95_MS:g} ms); recall@10 {result.recall_at_10:.3f}"
        )
        if real_sample:
            local = settings.model_copy(update={"embeddings_provider": EmbeddingsProvider.LOCAL})
            texts = sandbox_texts(limit=real_sample)
            console.print(f"embedding {len(texts.chunks)} sandbox chunks with the local model...")
            real = real_recall(
                pool,
                database_url,
                texts=texts.chunks,
                queries=texts.queries[:queries],
                embeddings=embeddings_for(local),
                spec=embedding_spec(local),
            )
            console.print(
                f"real embeddings, {real.chunks} chunks: recall@10 {real.recall_at_10:.3f}"
            )
            result = result.model_copy(update={"real": real})
    if write:
        command = (
            f"sales-agent bench retrieval --chunks {chunks} --queries {queries} --runs {runs} "
            f"--real-sample {real_sample}"
        )
        retrieval_report(result, command=command, report=report)
        console.print(f"updated {report}")
    if not result.meets_target:
        raise typer.Exit(1)


@bench_app.command("webhooks")
def webhooks(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (medians are taken).")] = 5,
    deliveries: Annotated[int, typer.Option(min=20, help="Deliveries per run.")] = 200,
    api_latency_ms: Annotated[
        int, typer.Option(min=0, help="Delay added to every sandbox API call (a real round trip).")
    ] = 100,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Webhook acknowledgement latency over HTTP (target p99 under 50 ms); exit 1 if missed."""
    from sales_agent.bench.scratch import scratch_database
    from sales_agent.bench.webhooks import TARGET_P99_MS, run_webhooks_bench, webhooks_report
    from sales_agent.config import sandbox_settings
    from sales_agent.services import open_services

    with scratch_database(sandbox_settings()) as settings, open_services(settings) as services:
        result = run_webhooks_bench(
            services, deliveries=deliveries, runs=runs, api_latency_ms=api_latency_ms
        )
    console.print(
        f"webhooks, {runs} runs x {deliveries} deliveries: p50 {result.p50_ms} ms, "
        f"p95 {result.p95_ms} ms, p99 {result.p99_ms} ms (target p99 < {TARGET_P99_MS:g} ms)"
    )
    if write:
        command = (
            f"sales-agent bench webhooks --runs {runs} --deliveries {deliveries} "
            f"--api-latency-ms {api_latency_ms}"
        )
        webhooks_report(result, command=command, report=report)
        console.print(f"updated {report}")
    if not result.meets_target:
        raise typer.Exit(1)


@bench_app.command("throughput")
def throughput(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (the median is taken).")] = 3,
    leads: Annotated[int, typer.Option(min=5, help="Form leads queued per run.")] = 200,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 2,
    concurrency: Annotated[int, typer.Option(min=1, help="Jobs per worker at once.")] = 3,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Follow-up leads per second through workers (target 20/s); exit 1 if missed."""
    from sales_agent.bench.scratch import scratch_database
    from sales_agent.bench.throughput import (
        TARGET_LEADS_PER_SECOND,
        run_throughput_bench,
        throughput_report,
    )
    from sales_agent.config import sandbox_settings
    from sales_agent.services import open_services

    with scratch_database(sandbox_settings()) as settings, open_services(settings) as services:
        result = run_throughput_bench(
            services, leads=leads, runs=runs, workers=workers, concurrency=concurrency
        )
    console.print(
        f"throughput, {runs} runs x {leads} leads, {workers} workers x {concurrency}: "
        f"{result.leads_per_second} leads/s (target >= {TARGET_LEADS_PER_SECOND:g})"
    )
    if write:
        command = (
            f"sales-agent bench throughput --runs {runs} --leads {leads} --workers {workers} "
            f"--concurrency {concurrency}"
        )
        throughput_report(result, command=command, report=report)
        console.print(f"updated {report}")
    if not result.meets_target:
        raise typer.Exit(1)


@bench_app.command("chaos")
def chaos(
    leads: Annotated[int, typer.Option(min=1, help="Leads (new CRM contacts) to send.")] = 300,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 2,
    redeliveries: Annotated[int, typer.Option(min=1, help="Times every webhook is delivered.")] = 5,
    kills: Annotated[int, typer.Option(min=0, help="Workers SIGKILLed during the load.")] = 6,
    report: Annotated[Path, typer.Option(help="Report to update.")] = Path("docs/RELIABILITY.md"),
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Load through webhooks and workers under faults; exit 1 on a duplicate or a lost trigger."""
    from sales_agent.bench.chaos import run_chaos_bench
    from sales_agent.bench.chaos_report import chaos_report
    from sales_agent.bench.scratch import scratch_database
    from sales_agent.config import sandbox_settings
    from sales_agent.services import open_services

    base = sandbox_settings()
    # The embedded Postgres is ours to restart; an external server is not.
    embedded_dir = base.data_dir if base.database_url is None else None
    with scratch_database(base) as settings, open_services(settings) as services:
        result = run_chaos_bench(
            services,
            leads=leads,
            workers=workers,
            redeliveries=redeliveries,
            kills=kills,
            embedded_dir=embedded_dir,
        )
    left = result.leftovers
    console.print(
        f"chaos: {result.leads} leads in, {result.drafts} drafts out; duplicates: drafts "
        f"{left.duplicate_drafts}, sends {left.duplicate_sends}, notes {left.duplicate_notes}; "
        f"lost triggers {result.lost_triggers}; quota overruns {left.quota_overruns}; "
        f"trigger to approval p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, "
        f"p99 {result.p99_ms} ms; drained in {result.drain_seconds} s "
        f"({result.timeouts} timed-out calls, {result.kills} kills, "
        f"{result.postgres_restarts} Postgres restart)"
    )
    if write:
        command = (
            f"sales-agent bench chaos --leads {leads} --workers {workers} "
            f"--redeliveries {redeliveries} --kills {kills}"
        )
        chaos_report(result, command=command, report=report)
        console.print(f"updated {report}")
    if not result.meets_targets:
        raise typer.Exit(1)


@bench_app.command("index")
def index(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (medians are taken).")] = 3,
    api_latency_ms: Annotated[
        int, typer.Option(min=0, help="Delay added to every sandbox API call (a real round trip).")
    ] = 100,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """A full Gmail sync of the sandbox mailbox from an empty index: time, messages/s, calls."""
    from sales_agent.bench.indexing import indexing_report, run_indexing_bench
    from sales_agent.bench.scratch import scratch_database
    from sales_agent.config import sandbox_settings
    from sales_agent.services import open_services

    with scratch_database(sandbox_settings()) as settings, open_services(settings) as services:
        result = run_indexing_bench(services, runs=runs, api_latency_ms=api_latency_ms)
    console.print(
        f"gmail full sync, {result.messages} messages, API latency {api_latency_ms} ms: "
        f"{result.seconds} s, {result.messages_per_second} messages/s, "
        f"{result.api_calls} API calls (medians of {runs})"
    )
    if write:
        command = f"sales-agent bench index --runs {runs} --api-latency-ms {api_latency_ms}"
        indexing_report(result, command=command, report=report)
        console.print(f"updated {report}")


@bench_app.command("story")
def story(
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (the median is taken).")] = 5,
    contacts: Annotated[int, typer.Option(min=100, help="Contacts to rank.")] = 10_000,
    pitches: Annotated[int, typer.Option(min=1, help="Pitches to write.")] = 50,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Rank 10,000 contacts (target < 1 s), write 50 pitches offline (< 10 s); exit 1 if missed.

    Ranking counts reading our records of the contacts, timed on a throwaway database.
    """
    import psycopg
    from psycopg.rows import dict_row

    from sales_agent.bench.scratch import scratch_database
    from sales_agent.bench.story import generated_contacts, run_story_bench, story_report
    from sales_agent.bench.story_records import seed_history, time_stored_facts
    from sales_agent.config import get_settings
    from sales_agent.db import migrate

    result = run_story_bench(contacts=contacts, pitches=pitches, runs=runs)
    people = [contact for contact, _ in generated_contacts(contacts)]
    with scratch_database(get_settings()) as settings:
        assert settings.database_url is not None
        migrate.upgrade(settings.database_url)
        with psycopg.connect(settings.database_url, autocommit=True, row_factory=dict_row) as conn:
            story_id = seed_history(conn, people)
            read = time_stored_facts(conn, people, story_id=story_id, runs=runs)
    result = result.model_copy(update={"read_seconds": read})
    console.print(
        f"story: read our records of {result.contacts} contacts in {read:.3f} s and rank them "
        f"in {result.rank_seconds:.3f} s, write and gate {result.pitches} pitches in "
        f"{result.write_seconds:.3f} s (medians of {runs})"
    )
    if write:
        command = f"sales-agent bench story --runs {runs} --contacts {contacts} --pitches {pitches}"
        story_report(result, command=command, report=report)
        console.print(f"updated {report}")
    if not result.meets_target:
        raise typer.Exit(1)


@bench_app.command("scale")
def scale(
    contacts: Annotated[
        list[int],
        typer.Option(min=1, max=100_000, help="Workspace size in contacts; repeat for several."),
    ],
    runs: Annotated[int, typer.Option(min=1, help="Repeated runs (medians are taken).")] = 3,
    leads: Annotated[int, typer.Option(min=2, help="Follow-up leads per run.")] = 10,
    report: Annotated[Path, typer.Option(help="Report to update.")] = DEFAULT_REPORT_PATH,
    write: Annotated[bool, typer.Option(help="Update the report (--no-write: print only).")] = True,
) -> None:
    """Costs at N contacts: start, CRM sync, identity, gate, follow-up, Gmail, worker memory."""
    import time

    from sales_agent.bench.scale import run_scale_bench
    from sales_agent.bench.scale_report import scale_report, verdicts
    from sales_agent.bench.scratch import scratch_database
    from sales_agent.config import sandbox_settings
    from sales_agent.sandbox import SandboxServer

    results = []
    for size in sorted(contacts):
        started = time.perf_counter()
        with SandboxServer(scale=size, startup_timeout=60) as sandbox:
            built = time.perf_counter() - started
            with scratch_database(sandbox_settings()) as settings:
                result = run_scale_bench(
                    settings, sandbox.url, contacts=size, build_s=built, runs=runs, leads=leads
                )
        console.print(result)
        results.append(result)
    if write:
        sizes = " ".join(f"--contacts {size}" for size in sorted(contacts))
        command = f"sales-agent bench scale {sizes} --runs {runs} --leads {leads}"
        scale_report(results, command=command, report=report)
        console.print(f"updated {report}")
    if not all(verdicts(results).values()):
        raise typer.Exit(1)
