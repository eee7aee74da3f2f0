"""A follow-up run's captured logs, at DEBUG, hold no email address or phone of the workspace."""

from __future__ import annotations

import logging
import re
from importlib import resources

import pytest

from sales_agent.domain import Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, start
from sales_agent.policy.pii import install_log_redaction
from sales_agent.policy.pii_patterns import EMAIL, PHONE, is_phone
from sales_agent.sandbox import SEED_LEAD_THREAD_ID
from sales_agent.services import Services


def workspace_details() -> set[str]:
    data = resources.files("sales_agent.sandbox").joinpath("data")
    text = "\n".join(
        data.joinpath(name).read_text("utf-8") for name in ("gmail.json", "hubspot.json")
    )
    emails = {m.group() for m in EMAIL.finditer(text)}
    phones = {m.group() for m in PHONE.finditer(text) if is_phone(m.group())}
    # Digits alone too: a number logged without its spaces is still the number.
    return emails | phones | {re.sub(r"\D", "", p) for p in phones}


def test_a_run_logs_no_workspace_email_or_phone(
    graph: FollowupGraph,
    fresh: Services,
    context: FollowupContext,
    caplog: pytest.LogCaptureFixture,
) -> None:
    details = workspace_details()
    assert len(details) > 100
    caplog.set_level(logging.DEBUG)
    installed = install_log_redaction()
    try:
        start(graph, Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID), context)
        # A line that certainly carries PII proves the filter sits on the capturing handler.
        logging.getLogger("sales_agent.test").warning(
            "reply from %s on %s", "priya@northwind-logistics.example", "+44 113 496 0718"
        )
    finally:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(installed)
    assert len(caplog.records) > 1
    assert "reply from [EMAIL] on [PHONE]" in caplog.text
    assert [detail for detail in details if detail in caplog.text] == []
