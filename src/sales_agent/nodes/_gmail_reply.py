"""The Gmail reply a draft becomes: threaded under the answered message when there is one."""

from __future__ import annotations

import logging
from datetime import datetime

from sales_agent.config import Settings
from sales_agent.connectors import EmailAddress, GmailClient, ReplyDraft
from sales_agent.domain import Draft
from sales_agent.errors import ConfigError, ConnectorError
from sales_agent.graph.state import FollowupState
from sales_agent.policy.unsubscribe import unsubscribe_token, unsubscribe_url

__all__ = ["delete_gmail_draft", "gmail_reply_for", "unsubscribe_link"]

logger = logging.getLogger(__name__)


def unsubscribe_link(
    settings: Settings, *, email: str, thread_id: str, version: int, now: datetime
) -> str | None:
    """The one-click unsubscribe URL the message to `email` carries; None without a key.

    `thread_id` and `version` name the run and its draft (a follow-up's revision; a story
    run's pitches are version 1). Without SALES_AGENT_SECRET_KEY on real Gmail the draft
    still goes to Gmail (the operator may send it themselves), and SEND_ALLOWED refuses to
    send it, saying which key to set.
    """
    try:
        token = unsubscribe_token(
            settings, email=email, thread_id=thread_id, version=version, now=now
        )
    except ConfigError as exc:
        logger.warning("draft without an unsubscribe link: %s", exc.message)
        return None
    return unsubscribe_url(settings, token)


def gmail_reply_for(
    state: FollowupState, draft: Draft, *, idempotency_key: str, list_unsubscribe: str | None
) -> ReplyDraft:
    """`draft` as a ReplyDraft: the thread's threading headers, the ledger key, the link."""
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
        list_unsubscribe=list_unsubscribe,
    )


def delete_gmail_draft(gmail: GmailClient, draft_id: str) -> None:
    """Delete a draft; one already gone (a re-run, or the operator deleted it) is fine."""
    try:
        gmail.delete_draft(draft_id)
    except ConnectorError as exc:
        if exc.status != 404:
            raise
