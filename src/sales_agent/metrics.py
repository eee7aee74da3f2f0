"""Process-wide Prometheus metrics that code outside the server increments.

Metrics are created unregistered (`registry=None`): each app registers them into its own
registry, so building two apps in one process (tests, Studio) never registers a name twice.
"""

from __future__ import annotations

from prometheus_client import Counter

from sales_agent.errors import ConnectorError

__all__ = ["EXTERNAL_API_ERRORS", "record_external_api_error"]

EXTERNAL_API_ERRORS = Counter(
    "sales_agent_external_api_errors",
    "Failed calls to an external service (each failed attempt, retried or not).",
    ["service", "status"],
    registry=None,
)


def record_external_api_error(service: str, error: BaseException) -> None:
    """Count `error` against `service` when it is a service's failure (a `ConnectorError`).

    `status` is the HTTP status, or `none` for a failure without one (timeout, reset).
    Anything else (a bug in the caller) is not the service's error and is not counted.
    """
    if isinstance(error, ConnectorError):
        status = "none" if error.status is None else str(error.status)
        EXTERNAL_API_ERRORS.labels(service=service, status=status).inc()
