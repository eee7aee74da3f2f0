"""Many Gmail messages in few requests: Google's batch endpoint, paced to the user's quota.

A batch carries at most 100 calls, and Gmail charges each call inside it against the user's
per-second quota (250 units; `messages.get` costs 5). So a batch holds as many calls as one
second's budget allows (50 gets), and spends their units through the same pacer and breaker
as any other call before it is sent. A call that fails transiently (429, 5xx) inside a batch
is sent again, alone with the other failures, honouring the longest `Retry-After`; one that
answers 404 (deleted since it was listed) comes back as None.

`batch_uri` must be given for anything but Google itself: googleapiclient sends batches to
the discovery document's root even when the client's api endpoint is overridden.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from sales_agent.connectors.gmail_parsing import parse_message
from sales_agent.connectors.google_api import GoogleService, http_error, translated
from sales_agent.connectors.pacing import SERVICE_BUDGETS, request_cost
from sales_agent.connectors.records import GmailMessage
from sales_agent.connectors.retry import RetryPolicy, TransientConnectorError, call_with_retry

__all__ = ["MAX_BATCH_CALLS", "batch_size", "get_messages"]

MAX_BATCH_CALLS = 100  # Gmail's limit per batch request
_SERVICE = "gmail"
_GET = "gmail.users.messages.get"


def batch_size(method_id: str) -> int:
    """Calls of `method_id` per batch: Gmail's limit, or one second of the user's quota."""
    units_per_second, _ = SERVICE_BUDGETS[_SERVICE]
    return max(1, min(MAX_BATCH_CALLS, units_per_second // request_cost(method_id)))


def get_messages(
    service: GoogleService,
    message_ids: Sequence[str],
    *,
    user_id: str,
    batch_uri: str | None,
    retry: RetryPolicy,
) -> dict[str, GmailMessage | None]:
    """Each message by id ("full" format), None for those gone; batched and paced."""
    found: dict[str, GmailMessage | None] = {}
    size = batch_size(_GET)
    for start in range(0, len(message_ids), size):
        chunk = list(dict.fromkeys(message_ids[start : start + size]))
        found |= _get_chunk(service, chunk, user_id=user_id, batch_uri=batch_uri, retry=retry)
    return found


def _get_chunk(
    service: GoogleService,
    message_ids: list[str],
    *,
    user_id: str,
    batch_uri: str | None,
    retry: RetryPolicy,
) -> dict[str, GmailMessage | None]:
    results: dict[str, GmailMessage | None] = {}

    def attempt() -> None:
        pending = [m for m in message_ids if m not in results]
        failures: list[TransientConnectorError] = []

        def collect(request_id: str, response: Any, exception: Exception | None) -> None:
            if exception is None:
                results[request_id] = parse_message(response)
                return
            error = http_error(_SERVICE, exception) if isinstance(exception, HttpError) else None
            if error is not None and error.status == 404:
                results[request_id] = None
            elif isinstance(error, TransientConnectorError):
                failures.append(error)
            else:
                raise error or exception

        batch = _new_batch(service, collect, batch_uri)
        messages = service.users().messages()
        for message_id in pending:
            batch.add(
                messages.get(userId=user_id, id=message_id, format="full"), request_id=message_id
            )
        translated(_SERVICE, batch.execute)
        if failures:
            raise TransientConnectorError(
                _SERVICE,
                f"{len(failures)} of {len(pending)} calls in a batch failed: {failures[0].message}",
                status=failures[0].status,
                retry_after=max((f.retry_after or 0.0 for f in failures), default=None) or None,
                may_have_run=False,  # reads: sending them again repeats nothing
            )

    cost = len(message_ids) * request_cost(_GET)
    call_with_retry(attempt, retry, service=_SERVICE, cost=cost)
    return results


def _new_batch(service: GoogleService, callback: Any, batch_uri: str | None) -> BatchHttpRequest:
    if batch_uri is None:
        batch: BatchHttpRequest = service.new_batch_http_request(callback=callback)
        return batch
    return BatchHttpRequest(callback=callback, batch_uri=batch_uri)
