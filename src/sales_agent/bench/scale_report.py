"""The `bench scale` section of docs/BENCHMARKS.md: one row per workspace size."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sales_agent.bench.report import machine_summary, update_section
from sales_agent.bench.scale import GMAIL_SAMPLE, ScaleResult

__all__ = ["TARGETS", "scale_report", "verdicts"]

TARGETS = {
    "start_to_ready_s": 3.0,  # at 100,000 contacts
    "gate_p95_ms": 5.0,
    "followup_growth": 1.5,  # p95 at the largest size over p95 at the smallest
    "worker_peak_mb": 600.0,
    "gmail_per_s": 300.0,
}


def verdicts(results: Sequence[ScaleResult]) -> dict[str, bool]:
    """Each target, met or not, over the sizes measured."""
    small, large = results[0], results[-1]
    return {
        "start to ready < 3 s": all(
            r.start_to_ready_s < TARGETS["start_to_ready_s"] for r in results
        ),
        "gate p95 < 5 ms": all(r.gate_p95_ms < TARGETS["gate_p95_ms"] for r in results),
        "trigger-to-approval p95 within 1.5x of the smallest": (
            large.followup_p95_ms <= TARGETS["followup_growth"] * small.followup_p95_ms
        ),
        "worker peak < 600 MB": all(r.worker_peak_mb < TARGETS["worker_peak_mb"] for r in results),
        "Gmail sync >= 300 msg/s": all(r.gmail_per_s >= TARGETS["gmail_per_s"] for r in results),
    }


def _row(r: ScaleResult) -> str:
    return (
        f"| {r.contacts:,} | {r.sandbox_build_s} s | {r.sync_s} s ({r.sync_records:,} records) "
        f"| {r.start_to_ready_s} s ({r.services_open_s} s) | {r.identity_p95_ms} ms "
        f"| {r.gate_p95_ms} ms "
        f"| {r.followup_p50_ms} / {r.followup_p95_ms} ms | {r.gmail_per_s} ({r.gmail_embed_per_s}) "
        f"| {r.worker_peak_mb} MB |"
    )


def scale_report(results: Sequence[ScaleResult], *, command: str, report: Path) -> None:
    """Rewrite the scale section with one row per size and the targets' verdicts."""
    rows = "\n".join(_row(r) for r in results)
    met = "\n".join(
        f"- {name}: {'met' if ok else 'MISSED'}" for name, ok in verdicts(results).items()
    )
    update_section(
        report,
        "scale",
        f"""
## At scale: N contacts, N/5 companies, 2N messages, N/10 Drive files

`{command}` on {machine_summary()}; embedded Postgres, the sandbox generated at each size
(`sales-agent sandbox --scale N`, on top of the seeded 66 contacts) on loopback, offline
writer, embeddings {results[0].embeddings}. Medians of the repeated runs; the CRM sync runs
once per size on an empty mirror.

| contacts | sandbox build | CRM sync (full walk) | start to ready (services open) \
| identity p95 | gate p95 | trigger to approval p50 / p95 | Gmail sync msg/s (embedded msg/s) \
| worker peak |
|---|---|---|---|---|---|---|---|---|
{rows}

{met}

What each figure covers: *start to ready* is `sales-agent serve` spawned until `/ready`
answers 200 (the mirror already filled: no process reads the CRM at start), and in brackets
the part of it that is our own start (`open_services` in-process: migration check, pool,
connectors; the rest is Python importing the libraries and uvicorn's start, the same at
every size); *identity* is
contact, company and open deal from the mirror by index; *gate* is the
per-draft check of the mirror's version plus the whole quality gate on a draft naming two
CRM names (the word index of every mirrored name); *trigger to approval* runs
form leads of seeded contacts through the follow-up graph (no Drive index, so the same
work at every size); *Gmail sync* is the full sync's path (batch requests of 50
`messages.get`, one multi-row insert into the embedding backlog) over the newest
{GMAIL_SAMPLE} messages, and in brackets the rate the backlog drain then embeds them at
(`memory.embedding_backlog`; a message is searchable once embedded);
*worker peak* is the peak resident memory (`VmHWM`) of a process that opened the services
and ran follow-ups to approval (its name index holds every CRM name).
""",
    )
