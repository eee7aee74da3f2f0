"""Thread ids derived from triggers, so a redelivered trigger lands on the same thread."""

from __future__ import annotations

from sales_agent.domain.lead import Trigger

__all__ = ["thread_id_for"]


def thread_id_for(trigger: Trigger) -> str:
    """The thread id a trigger runs on.

    `gmail:<thread>`, `form:<submission>`, `manual:<email>[:<request id>]`, or
    `sequence:<sequence id>:<touch>` (one thread per follow-up touch).
    """
    if trigger.source == "sequence":
        return f"sequence:{trigger.sequence_id}:{trigger.touch}"
    if trigger.source == "gmail":
        return f"gmail:{trigger.gmail_thread_id}"
    if trigger.source == "form":
        return f"form:{trigger.submission_id}"
    suffix = f":{trigger.request_id}" if trigger.request_id else ""
    return f"manual:{(trigger.contact_email or '').lower()}{suffix}"
