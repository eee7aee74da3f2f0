"""What changed on a Gmail thread while its draft waited for approval.

A trigger for a thread that is already waiting is either a redelivery (nothing new: keep
waiting), a newer message from the lead (the draft is superseded: re-read, re-draft) or
the operator's own reply sent from Gmail (the thread is handled: withdraw the draft).
"""

from __future__ import annotations

from typing import Literal

from sales_agent.connectors import GmailClient
from sales_agent.graph.state import FollowupState

__all__ = ["ThreadNews", "thread_news"]

ThreadNews = Literal["superseded", "handled"]


def thread_news(gmail: GmailClient, state: FollowupState, operator_email: str) -> ThreadNews | None:
    """superseded, handled, or None when the thread's newest message is the one answered."""
    if state.thread is None or state.thread.gmail_thread_id is None:
        return None
    thread = gmail.get_thread(state.thread.gmail_thread_id, "metadata")
    sent = [m for m in thread.messages if not m.is_draft]
    if not sent or sent[-1].message_id == state.thread.reply_to_message_id:
        return None
    if sent[-1].sender.email.lower() == operator_email.lower():
        return "handled"
    return "superseded"
