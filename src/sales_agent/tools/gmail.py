"""Gmail connector: read threads; create, update, read and delete (threaded) drafts."""

from __future__ import annotations

from typing import Any

from sales_agent.tools.gmail_parsing import parse_message, parse_thread
from sales_agent.tools.gmail_reply import encode_reply
from sales_agent.tools.google_api import GoogleService, execute
from sales_agent.tools.models import EmailAddress, GmailDraft, GmailThread, ReplyDraft
from sales_agent.tools.retry import DEFAULT_RETRY, RetryPolicy

__all__ = ["GmailClient"]

_SERVICE = "gmail"


class GmailClient:
    """The operator's mailbox through the Gmail v1 API."""

    def __init__(
        self,
        service: GoogleService,
        *,
        operator: EmailAddress,
        user_id: str = "me",
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        self._service = service
        self.operator = operator
        self._user_id = user_id
        self._retry = retry

    def get_thread(self, thread_id: str) -> GmailThread:
        """Fetch a thread with every message's headers and plain-text body."""
        request = (
            self._service.users().threads().get(userId=self._user_id, id=thread_id, format="full")
        )
        return parse_thread(execute(_SERVICE, request, retry=self._retry))

    def _draft_body(self, reply: ReplyDraft) -> dict[str, Any]:
        message = {"raw": encode_reply(reply, sender=self.operator)}
        if reply.thread_id is not None:
            message["threadId"] = reply.thread_id
        return {"message": message}

    def create_draft(self, reply: ReplyDraft) -> str:
        """Save `reply` as a draft (in its thread, if any), from the operator; return its id."""
        drafts = self._service.users().drafts()
        request = drafts.create(userId=self._user_id, body=self._draft_body(reply))
        return str(execute(_SERVICE, request, retry=self._retry)["id"])

    def update_draft(self, draft_id: str, reply: ReplyDraft) -> None:
        """Replace a draft's content; the draft id stays, Gmail gives it a new message id."""
        body = {"id": draft_id, **self._draft_body(reply)}
        request = (
            self._service.users().drafts().update(userId=self._user_id, id=draft_id, body=body)
        )
        execute(_SERVICE, request, retry=self._retry)

    def delete_draft(self, draft_id: str) -> None:
        """Delete a draft for good (Gmail does not move drafts to the trash)."""
        request = self._service.users().drafts().delete(userId=self._user_id, id=draft_id)
        execute(_SERVICE, request, retry=self._retry)

    def get_draft(self, draft_id: str) -> GmailDraft:
        """Fetch a draft and its full message."""
        request = (
            self._service.users().drafts().get(userId=self._user_id, id=draft_id, format="full")
        )
        draft = execute(_SERVICE, request, retry=self._retry)
        return GmailDraft(id=draft["id"], message=parse_message(draft["message"]))
