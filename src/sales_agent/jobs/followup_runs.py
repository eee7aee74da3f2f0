"""Running the follow-up graph on its derived thread: start to the interrupt, then resume.

Where runs are executed (the CLI, the server's synchronous routes, the workers' jobs): the
graph compiled on Postgres (checkpointer and store on the process's pool), and the calls
that start, resume, expire and forget a thread. What a run does lives in the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.graph.state import CompiledStateGraph
from langgraph.store.postgres import PostgresStore
from langgraph.types import Command
from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from sales_agent.db.threads import forget_thread
from sales_agent.domain import Trigger
from sales_agent.domain.approval import parse_resume
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.followup import GRAPH_ID, build_followup
from sales_agent.graph.state import CHECKPOINT_TYPES, FollowupInput, FollowupOutput, FollowupState
from sales_agent.jobs.run_rows import CancelAction
from sales_agent.services import Services, provided

__all__ = [
    "FollowupGraph",
    "RunCancelledError",
    "RunResult",
    "StopCheck",
    "checkpointer",
    "compile_followup",
    "drive",
    "expire_pending_approvals",
    "expire_thread",
    "forget_followup_thread",
    "resume",
    "stale_pending_threads",
    "start",
    "stored_trigger",
]

FollowupGraph = CompiledStateGraph[FollowupState, FollowupContext, FollowupInput, FollowupOutput]
StopCheck = Callable[[], CancelAction | None]
"""Asked at every step boundary of a run: the cancel a client requested, if any."""


class RunCancelledError(Exception):
    """A client cancelled the run; it stopped at a step boundary, after a checkpoint."""

    def __init__(self, action: CancelAction) -> None:
        """The run stopped for a cancel with `action`."""
        super().__init__(f"the run was cancelled ({action})")
        self.action = action


@dataclass(frozen=True)
class RunResult:
    """Where a run stopped: its state and the interrupt it waits on, if any."""

    thread_id: str
    state: FollowupState
    interrupts: tuple[Any, ...]


# Checkpoints revive only the types we stored, never an arbitrary class named in the data.
_SERDE = JsonPlusSerializer(
    allowed_msgpack_modules=[(cls.__module__, cls.__name__) for cls in CHECKPOINT_TYPES]
)


class _Unlocked:
    """A context manager that does nothing, standing in for PostgresSaver's lock."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class PooledPostgresSaver(PostgresSaver):
    """PostgresSaver on a connection pool, without its process-wide lock.

    The library serialises every checkpoint read and write of a process behind one lock,
    which a single shared connection needs; on a pool each operation takes a connection of
    its own, so the lock only made a worker's concurrent runs wait for each other
    (measured: the largest wait in a worker running three jobs).
    """

    def __init__(self, pool: ConnectionPool[Connection[DictRow]]) -> None:
        """The saver on `pool`, reviving only our checkpoint types."""
        super().__init__(pool, serde=_SERDE)
        self.lock = _Unlocked()  # type: ignore[assignment]  # see the class docstring


def checkpointer(services: Services) -> PostgresSaver:
    """The Postgres checkpointer on the services' pool."""
    return PooledPostgresSaver(services.pool)


def compile_followup(services: Services) -> FollowupGraph:
    """The follow-up graph on `services`, with the Postgres checkpointer and store."""
    return build_followup(provided(services)).compile(
        checkpointer=checkpointer(services), store=PostgresStore(conn=services.pool), name=GRAPH_ID
    )


def _result(graph: FollowupGraph, thread_id: str) -> RunResult:
    snapshot = graph.get_state({"configurable": {"thread_id": thread_id}})
    state = FollowupState.model_validate(snapshot.values)
    return RunResult(
        thread_id=thread_id,
        state=state,
        interrupts=tuple(i.value for i in snapshot.interrupts),
    )


def _config(thread_id: str, callbacks: Sequence[BaseCallbackHandler]) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id}, "callbacks": list(callbacks)}


def drive(
    graph: FollowupGraph,
    value: FollowupInput | Command[Any] | None,
    config: RunnableConfig,
    context: FollowupContext,
    *,
    stop: StopCheck | None = None,
) -> None:
    """Run the graph from `value` until it stops (at the interrupt or the end).

    With `stop`, it is asked after every checkpoint the graph saves: never mid-step, where a
    node's side effects could be half-recorded. When it names a cancel, the run stops right
    there (`RunCancelledError`) and the thread stays at that checkpoint.
    """
    if stop is None:
        graph.invoke(value, config, context=context)
        return
    chunks = graph.stream(value, config, context=context, stream_mode="checkpoints")
    with closing(cast("Generator[Any]", chunks)) as checkpoints:
        for _ in checkpoints:
            action = stop()
            if action is not None:
                raise RunCancelledError(action)


def start(
    graph: FollowupGraph,
    trigger: Trigger,
    context: FollowupContext,
    *,
    callbacks: Sequence[BaseCallbackHandler] = (),
    stop: StopCheck | None = None,
) -> RunResult:
    """Run a trigger on its derived thread until the approval interrupt (or the end).

    A run that died mid-way (a killed worker: its last step planned, perhaps with some
    writes saved) is finished first, from its last checkpoint, so no lead is lost. Then
    the trigger runs; the graph itself decides what it brings to a thread that already
    ran (a redelivery, a newer message, the operator's own reply).
    """
    thread_id = thread_id_for(trigger)
    config = _config(thread_id, callbacks)
    existing = graph.get_state(config)
    if existing.tasks and not existing.interrupts:
        drive(graph, None, config, context, stop=stop)
        return _result(graph, thread_id)
    drive(graph, FollowupInput(trigger=trigger), config, context, stop=stop)
    return _result(graph, thread_id)


def resume(
    graph: FollowupGraph,
    thread_id: str,
    response: Any,
    context: FollowupContext,
    *,
    callbacks: Sequence[BaseCallbackHandler] = (),
    stop: StopCheck | None = None,
) -> RunResult:
    """Resume a thread waiting at the approval interrupt with the operator's response.

    The response is validated before the graph sees it: LangGraph keeps a resume value once
    delivered, so a malformed one would fail the node again on every later attempt.
    """
    parse_resume(response)
    drive(graph, Command(resume=response), _config(thread_id, callbacks), context, stop=stop)
    return _result(graph, thread_id)


_STALE_PENDING = """
SELECT DISTINCT thread_id FROM drafts
WHERE status = 'pending_approval' AND created_at < %(cutoff)s
ORDER BY thread_id
"""


def stale_pending_threads(services: Services, *, now: datetime) -> list[str]:
    """Threads whose draft has waited for approval longer than the approval window."""
    cutoff = now - timedelta(hours=services.settings.approval_ttl_hours)
    with services.pool.connection() as conn:
        return [row["thread_id"] for row in conn.execute(_STALE_PENDING, {"cutoff": cutoff})]


def expire_thread(graph: FollowupGraph, thread_id: str, context: FollowupContext) -> bool:
    """Resume a waiting thread as `expired` (its Gmail draft deleted, the outcome audited).

    False when the thread no longer waits (decided meanwhile): nothing to withdraw.
    """
    config = _config(thread_id, ())
    if not graph.get_state(config).interrupts:
        return False
    graph.invoke(Command(resume={"system": "expired"}), config, context=context)
    return True


def expire_pending_approvals(
    services: Services, graph: FollowupGraph, context: FollowupContext, *, now: datetime
) -> list[str]:
    """Withdraw every draft that waited longer than the approval window; their threads.

    A late approval can then never send something the operator stopped watching. The
    worker's periodic job does the same thread by thread, under each thread's lock.
    """
    return [
        thread_id
        for thread_id in stale_pending_threads(services, now=now)
        if expire_thread(graph, thread_id, context)
    ]


def stored_trigger(services: Services, thread_id: str) -> Trigger | None:
    """The trigger a thread last ran on, from its checkpoint; None for an unknown thread.

    What re-triggers a waiting thread when its Gmail thread has news: the same trigger runs
    again, and the graph finds out what is new.
    """
    saved = checkpointer(services).get_tuple({"configurable": {"thread_id": thread_id}})
    if saved is None:
        return None
    value = saved.checkpoint["channel_values"].get("trigger")
    return value if isinstance(value, Trigger) else None


def forget_followup_thread(services: Services, thread_id: str) -> None:
    """Drop a thread's checkpoints, drafts and ledger entries so it can be replayed afresh.

    Only for fixed demo and eval threads run against a fresh sandbox: the ledger would
    otherwise point at Gmail drafts and notes the new sandbox never had.
    """
    checkpointer(services).delete_thread(thread_id)
    with services.pool.connection() as conn:
        forget_thread(conn, thread_id=thread_id)
