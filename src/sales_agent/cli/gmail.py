"""`sales-agent gmail sync-thread`: one Gmail thread into the memory index, now."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["gmail_app"]

gmail_app = typer.Typer(no_args_is_help=True, help="Gmail: index one thread into memory.")


@gmail_app.command("sync-thread")
def sync_thread(
    thread_id: Annotated[str, typer.Argument(metavar="ID", help="The Gmail thread id.")],
) -> None:
    """Index the thread's messages; print how many it has and their embedding status."""
    from sales_agent.memory.gmail_thread_index import index_thread
    from sales_agent.services import open_services

    with open_services() as services:
        stats = index_thread(services, thread_id)
    typer.echo(f"thread {stats.thread_id}: {stats.messages} messages")
    typer.echo(
        f"embeddings: {stats.embedded} of {stats.messages} in the index "
        f"({stats.indexed} embedded now, {stats.already_indexed} already indexed, "
        f"{stats.not_indexable} not indexable) with {stats.embeddings}"
    )
