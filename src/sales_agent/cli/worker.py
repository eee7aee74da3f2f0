"""`sales-agent worker`: a job worker on its own (scale out beside `serve --no-worker`)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

__all__ = ["worker_command"]


def worker_command(
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, help="Jobs this worker runs at once.")
    ] = 1,
    heartbeat: Annotated[
        float, typer.Option("--heartbeat", min=0.1, help="Seconds between heartbeats.")
    ] = 10.0,
    stalled_after: Annotated[
        float,
        typer.Option(
            "--stalled-after",
            min=1,
            help="Seconds without a heartbeat after which a worker's jobs are requeued.",
        ),
    ] = 30.0,
) -> None:
    """Run follow-up runs, resumes, indexing and upkeep jobs until stopped (Ctrl+C)."""
    from sales_agent.config import get_settings
    from sales_agent.jobs.worker import run_worker
    from sales_agent.logging_json import configure_json_logging
    from sales_agent.services import open_services

    configure_json_logging()  # JSON lines on standard error, as `serve` logs them
    with open_services(get_settings()) as services:
        asyncio.run(
            run_worker(
                services,
                concurrency=concurrency,
                heartbeat_seconds=heartbeat,
                stalled_after=stalled_after,
            )
        )
