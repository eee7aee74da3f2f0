"""One-click unsubscribe (RFC 8058): open routes that act only on a valid signed link.

`POST /unsubscribe?token=` is what a mail client sends for the one-click button (body
`List-Unsubscribe=One-Click`): the address is suppressed (OPT_OUT) within the request. `GET`
shows a confirmation page with that same POST as a button and changes nothing, since mail
scanners open links on their own. Both are audited; a forged or expired link answers 400 and
changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from sales_agent.policy.audit import record_event
from sales_agent.policy.unsubscribe import (
    UnsubscribeLinkError,
    UnsubscribeRequest,
    apply_unsubscribe,
    read_token,
)
from sales_agent.services import Services

__all__ = ["router"]

router = APIRouter(tags=["unsubscribe"])

Token = Annotated[str, Query(min_length=1, max_length=2048, description="The signed link token.")]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}}
button{{font-size:1rem;padding:.5rem 1rem}}</style></head>
<body><h1>{title}</h1>{body}</body></html>"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=escape(title), body=body), status_code=status)


def _read(request: Request, token: str) -> tuple[Services, UnsubscribeRequest | None, str]:
    services: Services = request.app.state.services
    try:
        return services, read_token(services.settings, token), ""
    except UnsubscribeLinkError as exc:
        return services, None, exc.message


@router.get("/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(request: Request, token: Token) -> HTMLResponse:
    """The confirmation page: who would be unsubscribed, and the button that does it."""
    services, wanted, problem = _read(request, token)
    if wanted is None:
        return _page("Link not valid", f"<p>{escape(problem)}</p>", 400)
    with services.pool.connection() as conn:
        record_event(
            conn,
            actor="recipient",
            action="unsubscribe_page_viewed",
            thread_id=wanted.thread_id,
            contact_email=wanted.email,
            reason="the unsubscribe link was opened (nothing changed yet)",
        )
    form = (
        f"<p>Stop emails to <strong>{escape(wanted.email)}</strong>?</p>"
        f'<form method="post" action="/unsubscribe?token={escape(quote(token))}">'
        f'<input type="hidden" name="List-Unsubscribe" value="One-Click">'
        "<button type=submit>Unsubscribe</button></form>"
    )
    return _page("Unsubscribe", form)


@router.post("/unsubscribe", response_class=HTMLResponse)
def unsubscribe(request: Request, token: Token) -> HTMLResponse:
    """Suppress the link's address now (OPT_OUT); a repeated click changes nothing more."""
    services, wanted, problem = _read(request, token)
    if wanted is None:
        return _page("Link not valid", f"<p>{escape(problem)}</p>", 400)
    with services.pool.connection() as conn:
        apply_unsubscribe(conn, wanted, now=datetime.now(UTC))
    done = f"<p>{escape(wanted.email)} will get no more emails from us.</p>"
    return _page("You are unsubscribed", done)
