"""The Gmail reply a draft becomes: threaded under the answered message when there is one."""

from __future__ import annotations

from sales_agent.connectors import EmailAddress, GmailClient, ReplyDraft
from sales_agent.domain import Draft
from sales_agent.errors import ConnectorError
from sales_agent.graph.state import FollowupState

__all__ = ["delete_gmail_draft", "gmail_reply_for"]


def gmail_reply_for(state: FollowupState, draft: Draft, *, idempotency_key: str) -> ReplyDraft:
    """`draft` as a ReplyDraft carrying the thread's threading headers and the ledger key."""
    thread = state.thread
    identity = state.identity
    name = " ".join(p for p in (identity.first_name, identity.last_name) if p) if identity else ""
    return ReplyDraft(
        thread_id=thread.gmail_thread_id if thread else None,
        to=[
            EmailAddress(email=address, name=name if identity and address == identity.email else "")
            for address in draft.to
        ],
        subject=draft.subject,
        body_text=draft.body,
        in_reply_to=thread.reply_to_message_id if thread else None,
        references=list(thread.references) if thread else [],
        idempotency_key=idempotency_key,
    )


def delete_gmail_draft(gmail: GmailClient, draft_id: str) -> None:
    """Delete a draft; one already gone (a re-run, or the operator deleted it) is fine."""
    try:
        gmail.delete_draft(draft_id)
    except ConnectorError as exc:
        if exc.status != 404:
            raise
