"""No credential survives the log filter: bearer tokens, our API keys, Google and HubSpot tokens."""

from __future__ import annotations

import logging

import pytest

from sales_agent.policy.pii import PiiLogFilter, Redactor

SECRETS = {
    "bearer": ("Authorization: Bearer {}", "abc.DEF-ghi_jkl~123"),
    "api key": ("key {} refused", "sa_0123456789ab_Zq81xKw3-Vb27pLm9_Qt55"),
    "google access": ("token {}", "ya29.a0AfB_byC-sandbox-123456"),
    "google refresh": ("refresh={}", "1//0gLx8Yy-Rr3tQ_abcdefgh"),
    "google code": ("code={}&state=x", "4/0AeanS0bXyz-12345678"),
    "google client secret": ("secret {}", "GOCSPX-AbCdEfGh_12345678"),
    "hubspot": ("{} in header", "pat-na1-1b2c3d4e-5f60-7a8b-9c0d-e1f2a3b4c5d6"),
}


@pytest.mark.parametrize(("line", "secret"), SECRETS.values(), ids=SECRETS.keys())
def test_a_credential_in_a_log_line_is_redacted(line: str, secret: str) -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "call: %s", (line.format(secret),), None
    )
    PiiLogFilter(Redactor()).filter(record)
    assert record.getMessage() == "call: " + line.format("[SECRET]")


def test_ordinary_text_is_left_alone() -> None:
    text = "run 1/2 finished; version 4.0.1; path /api/admin/runs; bearer of good news"
    assert Redactor().redact(text) == text
