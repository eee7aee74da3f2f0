"""Thread ids derived from triggers, so a redelivered trigger lands on the same thread."""

from __future__ import annotations

from sales_agent.domain.lead import Trigger

__all__ = ["thread_id_for"]


def thread_id_for(trigger: Trigger) -> str:
    """`gmail:<thread>`, `form:<submission>` or `manual:<email>[:<request id>]`."""
    if trigger.source == "gmail":
        return f"gmail:{trigger.gmail_thread_id}"
    if trigger.source == "form":
        return f"form:{trigger.submission_id}"
    suffix = f":{trigger.request_id}" if trigger.request_id else ""
    return f"manual:{(trigger.contact_email or '').lower()}{suffix}"
