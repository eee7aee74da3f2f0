"""`POST /webhooks/hubspot` and `POST /webhooks/gmail`: verified, deduped, durable.

Both verify, validate, dedupe and durably queue, then answer: the delivery's new event ids
and a job that does the reads and queues the runs are written in one transaction, and the
2xx follows its commit (`triggers/webhook_queue.py`). No third-party call happens in the
request, so the acknowledgement is fast whatever HubSpot or Gmail take. A sender that gets a
5xx sends again and the dedupe makes that harmless. They need no API key: HubSpot signs its
requests, Pub/Sub brings a token.

What could never be queued is refused up front with 422 (a HubSpot event whose time is not
a date, a Pub/Sub message id Postgres cannot store), not acknowledged and failed later or
answered 5xx and sent again forever; a HubSpot delivery with one such event is refused
whole. A 503 names what is away, never its error text (these routes need no key).

Both are `async def`: they read the raw body (HubSpot signs its bytes); every blocking call
(the database, Google's certificates) goes through `run_in_threadpool`.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from sales_agent.config import Settings
from sales_agent.errors import ConnectorError
from sales_agent.jobs.enqueue import EnqueueError
from sales_agent.server.errors import DATABASE_UNAVAILABLE, ApiError
from sales_agent.services import Services
from sales_agent.trace import current_trace_id
from sales_agent.triggers.hubspot_events import HUBSPOT_EVENTS
from sales_agent.triggers.hubspot_signature import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookSignatureError,
    verify_signature_v3,
)
from sales_agent.triggers.pubsub import (
    PubSubPush,
    PushVerificationError,
    decode_notification,
    verify_push,
)
from sales_agent.triggers.webhook_queue import accept_gmail_push, accept_hubspot_events

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not verified: a JSON error says why."},
    422: {"description": "The body is not what the sender sends; the details say where."},
    503: {"description": "Not queued (a service or the queue is away): send it again."},
}


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _signed_url(request: Request, settings: Settings) -> str:
    """The URL HubSpot signed: the configured public base (behind a proxy), else as received."""
    if settings.webhook_base_url is None:
        return str(request.url)
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{settings.webhook_base_url}{request.url.path}{query}"


def _malformed(error: ValidationError | ValueError, loc: tuple[str, ...]) -> RequestValidationError:
    if isinstance(error, ValidationError):
        return RequestValidationError(
            [{**e, "loc": (*loc, *e["loc"])} for e in error.errors(include_url=False)]
        )
    return RequestValidationError([{"loc": loc, "msg": str(error), "type": "value_error"}])


def _unavailable(error: EnqueueError | ConnectorError, where: str) -> ApiError:
    # These routes need no key: the cause (a driver's text naming hosts, users, databases,
    # or a client library's) goes to the log only.
    logger.warning("%s: not queued: %s", where, error.message)
    away = f"{error.service} unavailable" if isinstance(error, ConnectorError) else None
    away = away or DATABASE_UNAVAILABLE
    return ApiError(503, error.code, f"{away}; nothing was lost, send it again")


@router.post("/hubspot", responses=_RESPONSES)
async def hubspot_webhook(
    request: Request,
    signature: Annotated[str | None, Header(alias=SIGNATURE_HEADER)] = None,
    timestamp: Annotated[str | None, Header(alias=TIMESTAMP_HEADER)] = None,
) -> dict[str, Any]:
    """A HubSpot webhook delivery (a JSON array of events), signed with signature v3."""
    services = _services(request)
    secret = services.settings.hubspot_app_secret
    if secret is None:
        raise ApiError(
            401, "webhook_not_configured", "set SALES_AGENT_HUBSPOT_APP_SECRET to accept HubSpot"
        )
    if not signature or not timestamp:
        raise ApiError(
            401,
            WebhookSignatureError.code,
            f"{SIGNATURE_HEADER} and {TIMESTAMP_HEADER} are required (a HubSpot v3 signature)",
        )
    body = await request.body()
    try:
        verify_signature_v3(
            app_secret=secret.get_secret_value(),
            method=request.method,
            uri=_signed_url(request, services.settings),
            body=body,
            signature=signature,
            timestamp=timestamp,
        )
    except WebhookSignatureError as error:
        raise ApiError(401, error.code, error.message) from error
    try:
        events = HUBSPOT_EVENTS.validate_json(body)
    except ValidationError as error:
        raise _malformed(error, ("body",)) from error
    try:
        accepted = await run_in_threadpool(
            accept_hubspot_events, services, events, trace_id=current_trace_id()
        )
    except EnqueueError as error:
        raise _unavailable(error, "/webhooks/hubspot") from error
    return {
        "received": len(events),
        "duplicates": accepted.duplicates,
        "queued": accepted.new_events,
    }


@router.post("/gmail", responses=_RESPONSES)
async def gmail_webhook(
    request: Request,
    token: Annotated[str | None, Query(description="The push subscription's token.")] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """A Gmail notification pushed by Pub/Sub: sync the mailbox's history since the cursor."""
    services = _services(request)
    try:
        await run_in_threadpool(
            verify_push, services.settings, token=token, authorization=authorization
        )
    except PushVerificationError as error:
        raise ApiError(401, error.code, error.message) from error
    except ConnectorError as error:
        raise _unavailable(error, "/webhooks/gmail") from error
    body = await request.body()
    try:
        push = PubSubPush.model_validate_json(body)
    except ValidationError as error:
        raise _malformed(error, ("body",)) from error
    try:
        notification = decode_notification(push)
    except ValueError as error:
        raise _malformed(error, ("body", "message", "data")) from error
    mailbox = services.settings.operator_email
    if notification.email_address.lower() != mailbox.lower():
        # Acknowledged, or Pub/Sub would redeliver it for days: this is not our mailbox.
        return {"ignored": f"notification for another mailbox, not {mailbox}"}
    metadata = {"source": "gmail_push", "pubsub_message_id": push.message.message_id}
    try:
        accepted = await run_in_threadpool(
            accept_gmail_push,
            services,
            push.message.message_id,
            trace_id=current_trace_id(),
            metadata=metadata,
        )
    except EnqueueError as error:
        raise _unavailable(error, "/webhooks/gmail") from error
    return {
        "history_id": notification.history_id,
        "duplicate": accepted.duplicates == 1,
        "queued": accepted.new_events == 1,
    }
