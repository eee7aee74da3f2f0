"""The Gmail reply a draft becomes: threaded under the answered message when there is one."""

from __future__ import annotations

from sales_agent.graph.state import Draft, FollowupState
from sales_agent.tools import EmailAddress, ReplyDraft

__all__ = ["draft_key", "gmail_reply_for"]


def draft_key(thread_id: str) -> str:
    """The ledger key (and X-Sales-Agent-Key header value) of a thread's Gmail draft."""
    return f"{thread_id}:gmail_draft:1"


def gmail_reply_for(state: FollowupState, draft: Draft, *, idempotency_key: str) -> ReplyDraft:
    """`draft` as a ReplyDraft carrying the thread's threading headers and the ledger key."""
    thread = state.thread
    identity = state.identity
    name = " ".join(p for p in (identity.first_name, identity.last_name) if p) if identity else ""
    return ReplyDraft(
        thread_id=thread.gmail_thread_id if thread else None,
        to=[EmailAddress(email=address, name=name) for address in draft.to],
        subject=draft.subject,
        body_text=draft.body,
        in_reply_to=thread.reply_to_message_id if thread else None,
        references=list(thread.references) if thread else [],
        idempotency_key=idempotency_key,
    )
