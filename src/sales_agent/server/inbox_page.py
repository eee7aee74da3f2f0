"""The operator inbox web page: static HTML, one vanilla JS file and a stylesheet, no build.

The page needs no key to load (it has its own sign-in, `POST /api/session`); everything it
shows comes from the inbox API. The content security policy allows only this origin's
script and style, so text from mail can never run as code, even if it slipped past the
page's escaping (the script writes text with `textContent` only).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

__all__ = ["router"]

router = APIRouter(tags=["inbox"], include_in_schema=False)

STATIC = Path(__file__).parent / "static"
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # The page is small and changes with the server: always revalidate.
    "Cache-Control": "no-cache",
}


def _file(name: str, media_type: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type=media_type, headers=_HEADERS)


@router.get("/inbox")
def inbox_page() -> FileResponse:
    """The inbox page (`?thread=<thread_id>` opens that thread's draft)."""
    return _file("inbox.html", "text/html; charset=utf-8")


@router.get("/inbox/inbox.js")
def inbox_script() -> FileResponse:
    """The page's script."""
    return _file("inbox.js", "text/javascript; charset=utf-8")


@router.get("/inbox/campaigns.js")
def campaigns_script() -> FileResponse:
    """The campaign view's script (story pitches decided in bulk)."""
    return _file("campaigns.js", "text/javascript; charset=utf-8")


@router.get("/inbox/events.js")
def events_script() -> FileResponse:
    """The 30-day chart and the selected draft's email events."""
    return _file("events.js", "text/javascript; charset=utf-8")


@router.get("/inbox/inbox.css")
def inbox_style() -> FileResponse:
    """The page's stylesheet."""
    return _file("inbox.css", "text/css; charset=utf-8")
