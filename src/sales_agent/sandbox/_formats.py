"""Wire spellings shared by the emulated services: timestamps, plain text, page tokens."""

from __future__ import annotations

import base64
import binascii
import html
import re
from datetime import UTC, datetime

from sales_agent.sandbox._errors import InvalidRequestError

__all__ = ["html_to_plain", "page_offset", "page_token", "utc_timestamp"]

_BREAK = re.compile(r"<br\s*/?>|</(div|p|li|tr|h[1-6])>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def utc_timestamp(moment: datetime, *, millis: bool = False) -> str:
    """Format as RFC 3339 in UTC with a `Z`, as Google (seconds) and HubSpot (millis) do."""
    utc = moment.astimezone(UTC)
    if millis:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def html_to_plain(markup: str) -> str:
    """Render simple HTML as rough plain text, for snippets and quoted replies."""
    text = _BREAK.sub("\n", markup)
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def page_token(offset: int) -> str:
    """An opaque `nextPageToken` for the page starting at `offset`."""
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def page_offset(token: str | None) -> int:
    """The offset a `pageToken` stands for (0 without one); a forged token is a 400."""
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        text = ""  # not ours: refused below like any other forged token
    label, _, number = text.partition(":")
    if label != "offset" or not number.isdigit():
        raise InvalidRequestError(f"Invalid page token: {token}", reason="invalid")
    return int(number)
