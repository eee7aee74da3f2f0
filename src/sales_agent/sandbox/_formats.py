"""Wire spellings shared by the emulated services: timestamps and plain text."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

__all__ = ["html_to_plain", "utc_timestamp"]

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
