"""`sales-agent index` and `sales-agent search`: build memory's vector indexes and query them.

With no credentials the commands read the sandbox workspace, started in-process.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from sales_agent.connectors.drive_models import AssetType

if TYPE_CHECKING:
    from sales_agent.memory.drive_index import DriveIndexStats
    from sales_agent.memory.gmail_index import GmailIndexStats
    from sales_agent.memory.gmail_index import Progress as GmailProgress

__all__ = ["index_app", "search_app"]

index_app = typer.Typer(no_args_is_help=True, help="Memory indexes: Gmail, Drive, rebuild.")
search_app = typer.Typer(no_args_is_help=True, help="Search memory and Drive assets.")
console = Console()


def _bars() -> Progress:
    """Progress bars: description, bar, done/total, elapsed, remaining."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    return Progress(*columns, console=console)


@contextmanager
def _progress(label: str) -> Iterator[tuple[Progress, TaskID]]:
    """A progress bar and its one task."""
    with _bars() as progress:
        yield progress, progress.add_task(label, total=None)


def _rate(count: int, unit: str, seconds: float) -> str:
    """Throughput of a run, as its last line says it."""
    return f"{count} {unit} in {seconds:.1f} s, {count / max(seconds, 1e-9):.1f} {unit}/s"


def _drive_line(stats: DriveIndexStats) -> str:
    return (
        f"drive: {stats.files_seen} files, {stats.files_indexed} indexed, "
        f"{stats.files_skipped} skipped (unchanged), {stats.files_removed} removed, "
        f"{stats.files_failed} unreadable; {stats.chunks} chunks, "
        f"{stats.embeddings} embeddings computed"
    )


def _gmail_line(stats: GmailIndexStats) -> str:
    line = (
        f"gmail: {stats.fetched} fetched, {stats.indexed} indexed, {stats.skipped} skipped, "
        f"{stats.removed} removed; {'full resync' if stats.full_resync else 'incremental'}, "
        f"history id {stats.history_id}{', resumed an interrupted sync' if stats.resumed else ''}"
    )
    if stats.embedding is not None:
        line += f"; {stats.embedding.embedded} embedded"
    return line


def _gmail_bars(progress: Progress) -> tuple[GmailProgress, GmailProgress]:
    """Two bars on one display: the sync (fetch and store), then the embedding of what it stored."""
    bars = {name: progress.add_task(name, total=None) for name in ("Gmail", "embedding")}

    def bar(name: str) -> GmailProgress:
        def report(done: int, total: int) -> None:
            progress.update(bars[name], completed=done, total=total)

        return report

    return bar("Gmail"), bar("embedding")


@index_app.command("drive")
def index_drive_command() -> None:
    """Index the allowlisted Drive folders' Docs, PDFs and Sheets; re-embed changed files only."""
    from sales_agent.memory.drive_index import index_drive
    from sales_agent.services import open_services

    with open_services() as services, _progress("Drive") as (progress, task):

        def report(done: int, total: int, name: str) -> None:
            progress.update(task, completed=done, total=total, description=name[:40])

        started = time.perf_counter()
        stats = index_drive(services, on_progress=report)
        seconds = time.perf_counter() - started
    console.print(_drive_line(stats))
    console.print(f"throughput: {_rate(stats.chunks, 'chunks', seconds)}")


@index_app.command("rebuild")
def index_rebuild_command() -> None:
    """Drop both indexes and re-embed Gmail and Drive with the configured provider."""
    from sales_agent.memory.rebuild import rebuild_indexes
    from sales_agent.services import open_services

    with open_services() as services, _progress("rebuild") as (progress, task):

        def gmail_report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description="Gmail")

        def embed_report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description="embedding")

        def drive_report(done: int, total: int, name: str) -> None:
            progress.update(task, completed=done, total=total, description=name[:40])

        gmail, drive = rebuild_indexes(
            services,
            gmail_progress=gmail_report,
            embed_progress=embed_report,
            drive_progress=drive_report,
        )
        spec = services.embedding_spec.describe()
    console.print(f"rebuilt with {spec}\n{_gmail_line(gmail)}\n{_drive_line(drive)}")


@search_app.command("assets")
def search_assets_command(
    query: Annotated[str, typer.Argument(help="What the asset should be about.")],
    asset_type: Annotated[
        AssetType | None, typer.Option("--type", help="Only assets of this type.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=50, help="At most N files.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The Drive files that best match QUERY, one line per file, best first."""
    from pydantic import TypeAdapter
    from rich.table import Table

    from sales_agent.memory.assets import AssetHit, find_assets
    from sales_agent.memory.drive_index import indexed_file_count
    from sales_agent.services import open_services

    with open_services() as services:
        if indexed_file_count(services) == 0:
            Console(stderr=True).print(
                "the Drive index is empty: run `sales-agent index drive` first"
            )
            raise typer.Exit(1)
        hits = find_assets(services, query, asset_type=asset_type, limit=limit)
    if as_json:
        typer.echo(TypeAdapter(list[AssetHit]).dump_json(hits, indent=2).decode())
        return
    if not hits:
        console.print(f"no {asset_type} assets in the Drive index")
        return
    table = Table("score", "type", "file", "preview")
    for hit in hits:
        table.add_row(f"{hit.score:.2f}", hit.asset_type, hit.file_name, hit.preview)
    console.print(table)


@index_app.command("gmail")
def index_gmail_command(
    full: Annotated[
        bool, typer.Option("--full", help="List the whole mailbox, not just the changes.")
    ] = False,
) -> None:
    """Index the operator's inbound and sent mail, from where the last sync stopped."""
    from sales_agent.memory.gmail_index import index_gmail
    from sales_agent.services import open_services

    with open_services() as services, _bars() as progress:
        synced, embedded = _gmail_bars(progress)
        started = time.perf_counter()
        stats = index_gmail(services, full=full, progress=synced, embed_progress=embedded)
        seconds = time.perf_counter() - started
    console.print(_gmail_line(stats))
    console.print(f"throughput: {_rate(stats.fetched, 'messages', seconds)}")
    console.print(f"sync: {_rate(stats.fetched, 'messages', stats.seconds)}")
    if stats.embedding is not None:
        drain = stats.embedding
        console.print(f"embedding: {_rate(drain.embedded, 'messages', drain.seconds)}")


@search_app.command("memory")
def search_memory_command(
    query: Annotated[str, typer.Argument(help="What the past messages should be about.")],
    contact: Annotated[
        str | None, typer.Option("--contact", help="Only mail with this address.")
    ] = None,
    company: Annotated[
        str | None, typer.Option("--company", help="Only mail with this company's domain.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=50, help="At most N messages.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The past inbound and sent messages that best match QUERY, best first."""
    from pydantic import TypeAdapter
    from rich.table import Table

    from sales_agent.memory.long_memory import LongMemory, MemoryHit
    from sales_agent.services import open_services

    with open_services() as services:
        memory = LongMemory(services)
        if memory.is_empty():
            Console(stderr=True).print(
                "the memory index is empty: run `sales-agent index gmail` first"
            )
            raise typer.Exit(1)
        hits = memory.retrieve_context(query, limit, contact_email=contact, company_domain=company)
    if as_json:
        typer.echo(TypeAdapter(list[MemoryHit]).dump_json(hits, indent=2).decode())
        return
    if not hits:
        console.print("no message in memory matches those filters")
        return
    table = Table("score", "when", "direction", "from", "preview")
    for hit in hits:
        table.add_row(
            f"{hit.relevance:.2f}",
            f"{hit.timestamp:%Y-%m-%d}",
            hit.direction,
            hit.sender,
            hit.preview,
        )
    console.print(table)
