"""The periodic jobs fire when their comments say (croniter reads a sixth field as seconds)."""

from __future__ import annotations

from datetime import datetime

import croniter

from sales_agent.jobs import tasks  # noqa: F401  (registers the periodic tasks)
from sales_agent.jobs.app import app


def _next_three(periodic_id: str, start: datetime) -> list[datetime]:
    [task] = [
        t for t in app.periodic_registry.periodic_tasks.values() if t.periodic_id == periodic_id
    ]
    cron = croniter.croniter(task.cron, start)
    return [cron.get_next(datetime) for _ in range(3)]


def test_stalled_jobs_are_looked_for_every_ten_seconds_all_hour() -> None:
    ticks = _next_three("recover-stalled", datetime(2026, 11, 24, 6, 41, 3))
    assert [t.strftime("%H:%M:%S") for t in ticks] == ["06:41:10", "06:41:20", "06:41:30"]


def test_the_crm_mirror_is_polled_every_minute() -> None:
    ticks = _next_three("poll-crm", datetime(2026, 11, 24, 6, 41, 3))
    assert [t.strftime("%H:%M") for t in ticks] == ["06:42", "06:43", "06:44"]


def test_approvals_are_expired_every_five_minutes() -> None:
    ticks = _next_three("expire-approvals", datetime(2026, 11, 24, 6, 41, 3))
    assert [t.strftime("%H:%M") for t in ticks] == ["06:45", "06:50", "06:55"]


def test_due_sequence_touches_are_looked_for_every_five_minutes() -> None:
    from sales_agent.jobs import sequence_tasks  # noqa: F401  (registers its tasks)
    from sales_agent.jobs.app import TASK_MODULES

    assert "sales_agent.jobs.sequence_tasks" in TASK_MODULES  # so a worker imports it
    assert {"sequences.run_due", "sequences.touch"} <= set(app.tasks)
    ticks = _next_three("sequences-run-due", datetime(2026, 11, 24, 6, 41, 3))
    assert [t.strftime("%H:%M") for t in ticks] == ["06:45", "06:50", "06:55"]
