"""Gmail's batch endpoint, `POST /batch/gmail/v1`: up to 100 calls in one multipart/mixed request.

As the real API does: each part is an `application/http` request (request line, headers,
body) with a `Content-ID`; the answer is a multipart/mixed of `application/http` responses,
each with `Content-ID: <response-{the request's id}>`, in the same order. Every inner call is
served by this same app (through its middleware), so each one is logged, hit by injected
faults and counted like a call of its own, as Gmail counts each against the user's quota;
the parts are served concurrently, so a delay is paid about once per batch.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import uuid
from dataclasses import dataclass
from email.message import Message

import httpx
from fastapi import APIRouter, Request, Response

from sales_agent.sandbox._errors import InvalidRequestError

__all__ = ["MAX_BATCH_CALLS", "router"]

router = APIRouter()

MAX_BATCH_CALLS = 100
_INNER_PREFIX = "/gmail/v1/"
_CRLF = "\r\n"


@dataclass(frozen=True)
class _Call:
    content_id: str
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


def _parse_part(part: Message) -> _Call:
    raw = part.get_payload(decode=True)
    text = raw.decode() if isinstance(raw, bytes) else str(part.get_payload())
    head, _, body = text.replace(_CRLF, "\n").partition("\n\n")
    request_line, *header_lines = head.split("\n")
    try:
        method, target, _version = request_line.split(" ")
    except ValueError as exc:
        raise InvalidRequestError(f"not an HTTP request line: {request_line!r}") from exc
    if not target.startswith(_INNER_PREFIX):
        raise InvalidRequestError(f"a Gmail batch holds only Gmail calls, not {target}")
    headers = dict(line.split(": ", 1) for line in header_lines if ": " in line)
    # Unfolded: a long Content-ID arrives folded over two lines, and is echoed on one.
    content_id = " ".join(str(part.get("Content-ID", "")).split())
    return _Call(content_id, method, target, headers, body.encode())


async def _parts(request: Request) -> list[_Call]:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/mixed"):
        raise InvalidRequestError("a batch request is multipart/mixed")
    envelope = f"Content-Type: {content_type}\r\n\r\n".encode() + await request.body()
    message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(envelope)
    parts = message.get_payload()
    if not isinstance(parts, list) or not parts:
        raise InvalidRequestError("a batch request holds at least one part")
    if len(parts) > MAX_BATCH_CALLS:
        raise InvalidRequestError(f"a batch holds at most {MAX_BATCH_CALLS} calls")
    return [_parse_part(part) for part in parts if isinstance(part, Message)]


def _response_part(call: _Call, answer: httpx.Response) -> str:
    content_id = call.content_id.strip("<>")
    reason = answer.reason_phrase or "OK"
    return _CRLF.join(
        [
            "Content-Type: application/http",
            f"Content-ID: <response-{content_id}>",
            "",
            f"HTTP/1.1 {answer.status_code} {reason}",
            f"Content-Type: {answer.headers.get('content-type', 'application/json')}",
            *(
                [f"Retry-After: {answer.headers['retry-after']}"]
                if "retry-after" in answer.headers
                else []
            ),
            "",
            answer.text,
        ]
    )


@router.post("/batch/gmail/v1")
async def gmail_batch(request: Request) -> Response:
    """Serve each part through this app, in order; answer them as one multipart/mixed."""
    calls = await _parts(request)
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        # Concurrently, as Google serves a batch's parts: an injected delay is then paid once
        # per batch (its round trip), not once per part.
        answers = await asyncio.gather(
            *(
                client.request(call.method, call.target, headers=call.headers, content=call.body)
                for call in calls
            )
        )
    boundary = f"batch_{uuid.uuid4().hex}"
    body = "".join(
        f"--{boundary}{_CRLF}{_response_part(call, answer)}{_CRLF}"
        for call, answer in zip(calls, answers, strict=True)
    )
    return Response(
        content=f"{body}--{boundary}--{_CRLF}",
        media_type=f"multipart/mixed; boundary={boundary}",
    )
