"""Run a procrastinate worker on this process's services.

`sales-agent worker` runs one in the foreground; `sales-agent serve` runs one inside the
app's event loop (its lifespan cancels it on shutdown). A worker beats in
`worker_heartbeats` (for `/ready`) as well as in procrastinate's own table (which tells
other workers when its jobs are stalled), and on start requeues the jobs of dead workers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from procrastinate import PsycopgConnector
from psycopg_pool import AsyncConnectionPool

from sales_agent.jobs.app import app
from sales_agent.jobs.followup_runs import compile_followup
from sales_agent.jobs.heartbeat import beat, remove_worker
from sales_agent.jobs.runtime import WorkerRuntime
from sales_agent.jobs.tasks import requeue_stalled
from sales_agent.services import Services

__all__ = ["in_process_worker", "run_worker"]

logger = logging.getLogger(__name__)

# A sync task cannot be interrupted: give running jobs this long, then let the next worker
# requeue whatever is left (it resumes from the checkpoint).
_SHUTDOWN_GRACE = 10.0


async def _beat_forever(runtime: WorkerRuntime, every: float) -> None:
    while True:
        try:
            await asyncio.to_thread(_beat_once, runtime)
        except Exception:  # a missed beat is retried next time; /ready shows the gap
            logger.exception("worker heartbeat failed")
        await asyncio.sleep(every)


def _beat_once(runtime: WorkerRuntime) -> None:
    with runtime.services.pool.connection() as conn:
        beat(conn, worker_id=runtime.worker_id, jobs_done=runtime.jobs_done)


def _forget(runtime: WorkerRuntime) -> None:
    with runtime.services.pool.connection() as conn:
        remove_worker(conn, worker_id=runtime.worker_id)


async def run_worker(
    services: Services,
    *,
    concurrency: int = 1,
    heartbeat_seconds: float = 10.0,
    stalled_after: float = 30.0,
    install_signal_handlers: bool = True,
) -> None:
    """Work the queue until stopped (a signal, or cancelling the coroutine)."""
    runtime = WorkerRuntime(services, compile_followup(services), stalled_after=stalled_after)
    # Sync tasks each hold a connection of the services' pool; procrastinate's own queries
    # (fetching, heartbeats, listen/notify) use this async pool.
    pool: AsyncConnectionPool = AsyncConnectionPool(
        services.database_url,
        min_size=1,
        max_size=concurrency + 3,
        open=False,
        check=AsyncConnectionPool.check_connection,
    )
    await pool.open(wait=True)
    beating = asyncio.create_task(_beat_forever(runtime, heartbeat_seconds))
    try:
        # A fresh connector per run: the App is module-wide, a process may start two workers.
        with app.replace_connector(PsycopgConnector()):
            async with app.open_async(pool):
                await requeue_stalled(app, stalled_after)
                logger.info("worker %s started (concurrency %d)", runtime.worker_id, concurrency)
                await app.run_worker_async(
                    concurrency=concurrency,
                    name=runtime.worker_id,
                    additional_context={"runtime": runtime},
                    install_signal_handlers=install_signal_handlers,
                    update_heartbeat_interval=heartbeat_seconds,
                    stalled_worker_timeout=stalled_after,
                    shutdown_graceful_timeout=_SHUTDOWN_GRACE,
                )
    finally:
        beating.cancel()
        await asyncio.to_thread(_forget, runtime)
        await pool.close()


@asynccontextmanager
async def in_process_worker(services: Services, *, enabled: bool = True) -> AsyncIterator[None]:
    """Run a worker in this event loop for the block (`serve`); stop it gracefully after."""
    if not enabled:
        yield
        return
    task = asyncio.create_task(run_worker(services, install_signal_handlers=False))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
