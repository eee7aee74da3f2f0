"""The procrastinate App: every background task registers on this one object.

Tasks live in the modules named in `TASK_MODULES`; a module elsewhere (the pollers, say)
registers its own with `@app.task(...)` and appends its dotted path there, so a worker
imports it before it fetches jobs. The connector has no connection settings: a worker opens
the app on a pool of its own database (`worker.py`), and deferring goes through the caller's
connection (`enqueue.py`).
"""

from __future__ import annotations

from procrastinate import App, PsycopgConnector

__all__ = ["TASK_MODULES", "app"]

TASK_MODULES = [
    "sales_agent.jobs.tasks",
    "sales_agent.triggers.webhook_tasks",
    "sales_agent.jobs.sequence_tasks",
    "sales_agent.jobs.send_tasks",
]
"""Modules a worker imports so that it knows every task (append yours)."""

app = App(connector=PsycopgConnector(), import_paths=TASK_MODULES)
