"""Metrics read from the database at scrape time: every process's runs and drafts count.

Counting rows instead of incrementing in-process counters means a draft made by a separate
worker shows up in the server's `/metrics`, and a restart loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import psycopg
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from sales_agent.db.drafts import DRAFT_STATUSES

__all__ = ["RUN_STATUSES", "WorkCollector"]

logger = logging.getLogger(__name__)

RUN_STATUSES = ("pending", "running", "success", "error", "interrupted", "timeout", "cancelled")
"""The statuses migration 0006 allows on `runs`."""

_RUNS = "SELECT status, count(*) AS n FROM runs GROUP BY status"
_DRAFTS = "SELECT status, count(*) AS n FROM drafts GROUP BY status"
# Each error-severity violation of a stored gate verdict, by check (a draft may fail several).
_GATE_FAILURES = """
SELECT violation->>'check' AS check, count(*) AS n
FROM drafts,
     jsonb_array_elements(CASE WHEN jsonb_typeof(gate->'violations') = 'array'
                               THEN gate->'violations' ELSE '[]'::jsonb END) AS violation
WHERE violation->>'severity' = 'error'
GROUP BY 1
"""


def _counts(conn: Connection[DictRow], query: str, key: str) -> dict[str, int]:
    return {str(row[key]): int(row["n"]) for row in conn.execute(query).fetchall()}


class WorkCollector(Collector):
    """Runs by status, drafts created / sent / rejected, gate failures by check."""

    def __init__(self, pool: Callable[[], ConnectionPool[Connection[DictRow]]]) -> None:
        """`pool` returns the app's pool when asked (it opens after the app is built)."""
        self._pool = pool

    def collect(self) -> Iterator[Metric]:
        """Read the counts; on a database failure report `up 0` instead of failing the scrape."""
        up = GaugeMetricFamily(
            "sales_agent_metrics_database_up", "Whether the scrape could read the database."
        )
        try:
            with self._pool().connection(timeout=2) as conn:
                runs = _counts(conn, _RUNS, "status")
                drafts = _counts(conn, _DRAFTS, "status")
                gate = _counts(conn, _GATE_FAILURES, "check")
        except (psycopg.Error, AttributeError, TimeoutError) as exc:
            # AttributeError: scraped before the lifespan opened the services.
            logger.warning("metrics: cannot read the database: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield _by_label(
            GaugeMetricFamily,
            "sales_agent_runs",
            "Runs by status.",
            "status",
            {status: runs.get(status, 0) for status in RUN_STATUSES},
        )
        yield _by_label(
            GaugeMetricFamily,
            "sales_agent_drafts",
            "Drafts by status.",
            "status",
            {status: drafts.get(status, 0) for status in DRAFT_STATUSES},
        )
        for name, help_text, value in (
            ("created", "Drafts created (every stored revision).", sum(drafts.values())),
            ("sent", "Drafts sent.", drafts.get("sent", 0)),
            ("rejected", "Drafts rejected.", drafts.get("rejected", 0)),
        ):
            yield CounterMetricFamily(f"sales_agent_drafts_{name}", help_text, value=value)
        yield _by_label(
            CounterMetricFamily,
            "sales_agent_gate_failures",
            "Quality-gate errors on stored drafts, by check.",
            "check",
            gate,
        )


def _by_label(
    family: type[GaugeMetricFamily] | type[CounterMetricFamily],
    name: str,
    help_text: str,
    label: str,
    values: dict[str, int],
) -> Metric:
    metric = family(name, help_text, labels=[label])
    for value, count in sorted(values.items()):
        metric.add_metric([value], count)
    return metric
