"""Credentials in text (log lines first): bearer tokens, our API keys, Google and HubSpot tokens.

Applied by the PII redactor before anything else, so no log line, audit reason or exception
text carries a usable credential, whichever code path wrote it.
"""

from __future__ import annotations

import re

__all__ = ["SECRETS", "TOKENS", "redact_secrets"]

_TOKEN = r"[A-Za-z0-9._~+/=-]"
TOKENS = re.compile(
    "|".join(
        (
            r"\bsa_[0-9a-f]{12}_[A-Za-z0-9_-]{8,}",  # our API keys (policy/api_keys.py)
            r"\bya29\.[A-Za-z0-9._-]{8,}",  # Google access tokens
            r"(?<![\w/])1//[A-Za-z0-9._-]{8,}",  # Google refresh tokens
            r"\b4/0[A-Za-z0-9_-]{8,}",  # Google authorization codes
            r"\bGOCSPX-[A-Za-z0-9_-]{8,}",  # Google OAuth client secrets
            r"\bpat-[a-z]{2}\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
        )
    )
)
"""Credentials by their own shape (HubSpot private-app tokens last: `pat-<region>-<uuid>`)."""
SECRETS = re.compile(rf"(?i:\bbearer\s+){_TOKEN}{{8,}}|{TOKENS.pattern}")
"""`TOKENS`, and whatever follows `Bearer` (an Authorization header's value)."""


def redact_secrets(text: str) -> str:
    """`text` with every credential replaced by `[SECRET]` (a bearer keeps its scheme)."""
    return SECRETS.sub(
        lambda match: "Bearer [SECRET]" if match[0][:6].lower() == "bearer" else "[SECRET]", text
    )
