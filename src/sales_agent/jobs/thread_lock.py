"""A Postgres advisory lock per thread: one run at a time on a thread, across processes.

Background jobs already queue behind each other (procrastinate `lock=thread_id`); this lock
also keeps a synchronous run (`runs/wait`, `runs/stream`, an inbox resume) off a thread a
worker is running, and the other way round. It is a session lock: a process that dies
releases it with its connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.services import Services

__all__ = ["ThreadBusyError", "hold_thread", "try_hold_thread"]

_LOCK = "SELECT pg_advisory_lock(hashtext(%(key)s))"
_TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext(%(key)s)) AS locked"
_UNLOCK = "SELECT pg_advisory_unlock(hashtext(%(key)s))"


class ThreadBusyError(RuntimeError):
    """Another run holds the thread."""


@contextmanager
def _held(services: Services, thread_id: str, *, wait: bool) -> Iterator[Connection[DictRow]]:
    with services.pool.connection() as conn:
        if wait:
            conn.execute(_LOCK, {"key": thread_id})
        else:
            row = conn.execute(_TRY_LOCK, {"key": thread_id}).fetchone()
            if not (row and row["locked"]):
                raise ThreadBusyError(f"a run is in progress on thread {thread_id}")
        try:
            yield conn
        finally:
            conn.execute(_UNLOCK, {"key": thread_id})


def hold_thread(services: Services, thread_id: str) -> AbstractContextManager[Connection[DictRow]]:
    """Hold the thread's lock for the block, waiting for the current holder first."""
    return _held(services, thread_id, wait=True)


def try_hold_thread(
    services: Services, thread_id: str
) -> AbstractContextManager[Connection[DictRow]]:
    """Hold the thread's lock for the block; `ThreadBusyError` at once if it is taken."""
    return _held(services, thread_id, wait=False)
