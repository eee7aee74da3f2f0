"""`sales-agent watch`: the webhooks' work on a timer, for installs that receive none.

Each poll runs the very syncs the webhooks run (HubSpot form submissions, Gmail history),
so a change is started once whichever of the two sees it first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sales_agent.errors import SalesAgentError
from sales_agent.services import Services
from sales_agent.trace import trace_scope
from sales_agent.triggers.form_submissions import FormSync, sync_form_submissions
from sales_agent.triggers.gmail_changes import GmailSync, sync_gmail

__all__ = ["PollResult", "poll_once", "watch"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollResult:
    """One poll: each source's sync (None when it failed) and the failures."""

    forms: FormSync | None
    gmail: GmailSync | None
    errors: tuple[str, ...] = ()

    @property
    def run_ids(self) -> tuple[str, ...]:
        """Every run the poll queued."""
        return (self.forms.run_ids if self.forms else ()) + (
            self.gmail.run_ids if self.gmail else ()
        )


def poll_once(services: Services) -> PollResult:
    """Sync both sources once; a source that fails is reported and retried next poll."""
    errors: list[str] = []
    forms: FormSync | None = None
    gmail: GmailSync | None = None
    with trace_scope() as trace_id:
        metadata = {"source": "watch"}
        try:
            forms = sync_form_submissions(services, trace_id=trace_id, metadata=metadata)
        except SalesAgentError as error:  # the cursor stayed put: the next poll retries
            logger.warning("hubspot forms poll failed: %s", error.message)
            errors.append(f"hubspot forms: {error.message}")
        try:
            gmail = sync_gmail(services, trace_id=trace_id, metadata=metadata)
        except SalesAgentError as error:  # likewise
            logger.warning("gmail poll failed: %s", error.message)
            errors.append(f"gmail: {error.message}")
    return PollResult(forms=forms, gmail=gmail, errors=tuple(errors))


def watch(
    services: Services,
    *,
    interval: float,
    once: bool = False,
    report: Callable[[PollResult], None] = lambda _: None,
    stop: threading.Event | None = None,
) -> PollResult:
    """Poll every `interval` seconds until `stop` is set (or once); the last poll's result."""
    stop = stop or threading.Event()
    while True:
        result = poll_once(services)
        report(result)
        if once or stop.wait(interval):
            return result
