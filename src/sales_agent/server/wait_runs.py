"""`runs/wait`: a run executed here, on the calling thread, until the graph stops."""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.runnables import RunnableConfig

from sales_agent.jobs.execute import advance
from sales_agent.jobs.followup_runs import RunCancelledError, StopCheck, drive
from sales_agent.jobs.run_cancel import restore_point, settle_cancel, stop_check
from sales_agent.server.run_request import RunRequest, error_json
from sales_agent.server.schemas import RunCreate
from sales_agent.server.snapshots import values_json
from sales_agent.server.thread_service import ThreadService

__all__ = ["wait_run"]

logger = logging.getLogger(__name__)


def wait_run(
    threads: ThreadService, thread_id: str, body: RunCreate, *, assistant_id: str | None = None
) -> tuple[str, dict[str, Any]]:
    """POST /threads/{id}/runs/wait: run until the graph stops; the run's id, its values.

    Blocking: it runs the graph on the calling thread (a route's thread-pool thread). A
    cancel stops it at a step boundary, as it does a streamed run.
    """
    request = threads.prepare(thread_id, body)
    with threads.run_slot(thread_id):
        point = restore_point(threads.services, thread_id)
        run_id = threads.record_run(thread_id, assistant_id or body.assistant_id, request, body)
        try:
            error = _invoke(threads, thread_id, request, stop_check(threads.services, run_id))
        except RunCancelledError as cancelled:
            settle_cancel(threads.services, run_id, cancelled.action, point)
            error = None
        else:
            threads.finish(run_id, thread_id, error)
    return run_id, values_json(threads.snapshot(thread_id), error)


def _invoke(
    threads: ThreadService, thread_id: str, request: RunRequest, stop: StopCheck
) -> dict[str, str] | None:
    """Run the graph; an error inside a node is reported, not raised (as the platform)."""
    try:
        if request.checkpoint_id:
            # From a given checkpoint (a fork or a replay): on from there, with no new input.
            config: RunnableConfig = {
                "configurable": {"thread_id": thread_id, "checkpoint_id": request.checkpoint_id}
            }
            drive(threads.graph, None, config, request.context, stop=stop)
            return None
        advance(
            threads.graph,
            thread_id=thread_id,
            kind=request.kind,
            graph_input=request.graph_input,
            command=request.command,
            context=request.context,
            stop=stop,
        )
    except RunCancelledError:
        raise  # settled by the caller, as the cancel asked
    except Exception as exc:  # the run failed: the client gets the error in the body
        logger.exception("run on thread %s failed", thread_id)
        return error_json(exc)
    return None
