"""The Gmail thread of a run, read once: the first node that needs it fetches it in full.

The trigger (a newer message?), the identity resolver (who wrote?) and the reader (what did
they say?) all look at the same thread. The first of them fetches it with its bodies and
hands it on in the state's untracked `gmail_thread`, so the rest reuse that read. Nothing
goes stale: the value lives only for the run that read it (it is never checkpointed), and
a message arriving after the read starts a new run (the Gmail sync), which reads afresh.
"""

from __future__ import annotations

from sales_agent.connectors import GmailClient
from sales_agent.connectors.records import GmailThread
from sales_agent.graph.state import FollowupState

__all__ = ["run_thread"]


def run_thread(
    gmail: GmailClient, state: FollowupState, gmail_thread_id: str
) -> tuple[GmailThread, dict[str, GmailThread]]:
    """The thread, and the state update that hands a fresh read on (empty when reused)."""
    held = state.gmail_thread
    if held is not None and held.id == gmail_thread_id:
        return held, {}
    thread = gmail.get_thread(gmail_thread_id)
    return thread, {"gmail_thread": thread}
