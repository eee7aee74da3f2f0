"""Operations gauges for the alerts (deploy/prometheus/alerts.yml), read at scrape time.

Failed runs nobody handled, the kill switch, the workers' heartbeats (from the database, so
every worker counts) and this process's connection pool (where an exhausted pool shows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import psycopg
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

__all__ = ["OpsCollector"]

logger = logging.getLogger(__name__)

_OPS = """
SELECT
    (SELECT count(*) FROM runs WHERE status = 'error' AND handled_at IS NULL) AS failed,
    (SELECT coalesce(bool_or(value = 'true'::jsonb), false) FROM runtime_settings
     WHERE key = 'kill_switch') AS kill_switch,
    (SELECT count(*) FROM worker_heartbeats WHERE beat_at > now() - interval '60 seconds')
        AS workers,
    (SELECT extract(epoch FROM now() - max(beat_at)) FROM worker_heartbeats) AS beat_age
"""
_POOL_STATS = ("pool_size", "pool_max", "pool_available", "requests_waiting")


def _gauge(name: str, help_text: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, help_text, value=value)


class OpsCollector(Collector):
    """Failed runs unhandled, the kill switch, live workers, heartbeat age, the pool's stats."""

    def __init__(self, pool: Callable[[], ConnectionPool[Connection[DictRow]]]) -> None:
        """`pool` returns the app's pool when asked (it opens after the app is built)."""
        self._pool = pool

    def collect(self) -> Iterator[Metric]:
        """Read the gauges; nothing on a database failure (`..._metrics_database_up` says so)."""
        try:
            pool = self._pool()
            stats = pool.get_stats()
            with pool.connection(timeout=2) as conn:
                row = conn.execute(_OPS).fetchone()
        except (psycopg.Error, AttributeError, TimeoutError) as exc:
            logger.warning("ops metrics: cannot read the database: %s", exc)
            return
        assert row is not None
        pool_metric = GaugeMetricFamily(
            "sales_agent_db_pool", "This process's connection pool, by statistic.", labels=["stat"]
        )
        for stat in _POOL_STATS:
            pool_metric.add_metric([stat], stats.get(stat, 0))
        yield pool_metric
        yield _gauge(
            "sales_agent_runs_failed_unhandled",
            "Runs that failed for good and were not retried yet.",
            row["failed"],
        )
        yield _gauge(
            "sales_agent_kill_switch_engaged", "1 while the kill switch is on.", row["kill_switch"]
        )
        yield _gauge(
            "sales_agent_workers_alive", "Workers that beat in the last minute.", row["workers"]
        )
        # No worker ever beat: report a huge age, so "heartbeats missing" fires.
        age = float(row["beat_age"]) if row["beat_age"] is not None else 1e9
        yield _gauge(
            "sales_agent_worker_heartbeat_age_seconds", "Seconds since any worker beat.", age
        )
