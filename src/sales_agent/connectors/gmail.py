"""Gmail connector: search and read threads and messages, sync through history, draft and send.

Read methods back the LLM tools; the write methods (drafts, sending, watch) are plain methods
called only by deterministic nodes.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from sales_agent.connectors.gmail_batch import get_messages
from sales_agent.connectors.gmail_models import (
    GmailHistoryExpiredError,
    GmailHistoryPage,
    GmailLabel,
    GmailMessagePage,
    GmailProfile,
    GmailThreadPage,
    GmailWatch,
    HistoryType,
    MessageFormat,
    ThreadFormat,
)
from sales_agent.connectors.gmail_pages import (
    parse_history_page,
    parse_labels,
    parse_message_page,
    parse_profile,
    parse_thread_page,
    parse_watch,
)
from sales_agent.connectors.gmail_parsing import parse_message, parse_raw_message, parse_thread
from sales_agent.connectors.gmail_reply import (
    IDEMPOTENCY_HEADER,
    carries_key,
    encode_reply,
    key_message_id,
)
from sales_agent.connectors.google_api import GoogleService, execute
from sales_agent.connectors.records import (
    EmailAddress,
    GmailDraft,
    GmailMessage,
    GmailThread,
    ReplyDraft,
)
from sales_agent.connectors.retry import DEFAULT_RETRY, RetryPolicy
from sales_agent.errors import ConnectorError

__all__ = ["GmailClient"]

_SERVICE = "gmail"


def _listing(
    query: str, page_token: str | None, max_results: int, label_ids: Sequence[str]
) -> dict[str, Any]:
    """The list methods' shared parameters, leaving out the unset ones."""
    params: dict[str, Any] = {"maxResults": max_results}
    if query:
        params["q"] = query
    if page_token:
        params["pageToken"] = page_token
    if label_ids:
        params["labelIds"] = list(label_ids)
    return params


class GmailClient:
    """One mailbox through the Gmail v1 API (the operator's, `userId` "me", by default)."""

    def __init__(
        self,
        service: GoogleService,
        *,
        operator: EmailAddress,
        user_id: str = "me",
        retry: RetryPolicy = DEFAULT_RETRY,
        batch_uri: str | None = None,
    ) -> None:
        self._service = service
        self.operator = operator
        self._user_id = user_id
        self._retry = retry
        self._batch_uri = batch_uri

    def _run(self, request: Any) -> dict[str, Any]:
        return execute(_SERVICE, request, retry=self._retry)

    def _users(self) -> Any:
        return self._service.users()

    def list_threads(
        self,
        query: str = "",
        *,
        page_token: str | None = None,
        max_results: int = 100,
        label_ids: Sequence[str] = (),
    ) -> GmailThreadPage:
        """One page of threads matching Gmail's search syntax (`in:sent newer_than:30d`)."""
        params = _listing(query, page_token, max_results, label_ids)
        return parse_thread_page(
            self._run(self._users().threads().list(userId=self._user_id, **params))
        )

    def get_thread(self, thread_id: str, format: ThreadFormat = "full") -> GmailThread:
        """Fetch a thread; bodies are empty unless `format` is "full"."""
        request = self._users().threads().get(userId=self._user_id, id=thread_id, format=format)
        return parse_thread(self._run(request))

    def list_messages(
        self,
        query: str = "",
        *,
        page_token: str | None = None,
        max_results: int = 100,
        label_ids: Sequence[str] = (),
    ) -> GmailMessagePage:
        """One page of message ids matching Gmail's search syntax, newest first."""
        params = _listing(query, page_token, max_results, label_ids)
        return parse_message_page(
            self._run(self._users().messages().list(userId=self._user_id, **params))
        )

    def get_message(self, message_id: str, format: MessageFormat = "full") -> GmailMessage:
        """Fetch one message; "raw" downloads the RFC 822 source and parses it here."""
        request = self._users().messages().get(userId=self._user_id, id=message_id, format=format)
        resource = self._run(request)
        return parse_raw_message(resource) if format == "raw" else parse_message(resource)

    def get_raw_message(self, message_id: str) -> bytes:
        """A message's RFC 822 source, as received (delivery reports are read from it)."""
        request = self._users().messages().get(userId=self._user_id, id=message_id, format="raw")
        data = str(self._run(request).get("raw", ""))
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))

    def get_messages(self, message_ids: Sequence[str]) -> dict[str, GmailMessage | None]:
        """Fetch many messages ("full") in batch requests; None for a message gone meanwhile."""
        return get_messages(
            self._service,
            message_ids,
            user_id=self._user_id,
            batch_uri=self._batch_uri,
            retry=self._retry,
        )

    def _draft_body(self, reply: ReplyDraft) -> dict[str, Any]:
        message = {"raw": encode_reply(reply, sender=self.operator)}
        if reply.thread_id is not None:
            message["threadId"] = reply.thread_id
        return {"message": message}

    def create_draft(self, reply: ReplyDraft) -> str:
        """Save `reply` as a draft (in its thread, if any), from the operator; return its id."""
        request = self._users().drafts().create(userId=self._user_id, body=self._draft_body(reply))
        return str(self._run(request)["id"])

    def update_draft(self, draft_id: str, reply: ReplyDraft) -> None:
        """Replace a draft's content; the draft id stays, Gmail gives it a new message id."""
        body = {"id": draft_id, **self._draft_body(reply)}
        self._run(self._users().drafts().update(userId=self._user_id, id=draft_id, body=body))

    def delete_draft(self, draft_id: str) -> None:
        """Delete a draft for good (Gmail does not move drafts to the trash)."""
        self._run(self._users().drafts().delete(userId=self._user_id, id=draft_id))

    def find_draft_by_key(
        self, idempotency_key: str, *, thread_id: str | None = None
    ) -> str | None:
        """The id of the draft carrying `idempotency_key` (see `ReplyDraft`), if one exists.

        A recovery path: Gmail's search finds the draft by the Message-ID derived from the
        key. Should a mailbox have replaced that id, the drafts in `thread_id` (when given)
        are checked by their key header. Never a read of every draft in the mailbox.
        """
        query = f"rfc822msgid:{key_message_id(idempotency_key).strip('<>')}"
        listing = self._run(self._users().drafts().list(userId=self._user_id, q=query))
        for draft in listing.get("drafts", []):
            if self._carries_key(str(draft["message"]["id"]), idempotency_key):
                return str(draft["id"])
        if thread_id is None:
            return None
        thread = self.get_thread(thread_id, "metadata")
        keyed = [
            m.id for m in thread.messages if m.is_draft and self._carries_key(m.id, idempotency_key)
        ]
        return self._draft_of_message(keyed[0]) if keyed else None

    def _carries_key(self, message_id: str, idempotency_key: str) -> bool:
        request = (
            self._users()
            .messages()
            .get(
                userId=self._user_id,
                id=message_id,
                format="metadata",
                metadataHeaders=[IDEMPOTENCY_HEADER],
            )
        )
        headers = self._run(request).get("payload", {}).get("headers", [])
        return any(
            str(h.get("name", "")).lower() == IDEMPOTENCY_HEADER.lower()
            and carries_key(str(h.get("value", "")), idempotency_key)
            for h in headers
        )

    def _draft_of_message(self, message_id: str) -> str | None:
        """The draft whose message is `message_id` (drafts.list pages; no per-draft reads)."""
        page_token: str | None = None
        while True:
            listing = self._run(
                self._users().drafts().list(userId=self._user_id, pageToken=page_token)
            )
            for draft in listing.get("drafts", []):
                if draft["message"]["id"] == message_id:
                    return str(draft["id"])
            page_token = listing.get("nextPageToken")
            if not page_token:
                return None

    def get_draft(self, draft_id: str) -> GmailDraft:
        """Fetch a draft and its full message."""
        request = self._users().drafts().get(userId=self._user_id, id=draft_id, format="full")
        draft = self._run(request)
        return GmailDraft(id=draft["id"], message=parse_message(draft["message"]))

    def send_draft(self, draft_id: str) -> str:
        """Send a draft as it stands; return the id of the SENT message in its thread."""
        request = self._users().drafts().send(userId=self._user_id, body={"id": draft_id})
        return str(self._run(request)["id"])

    def send_message(self, reply: ReplyDraft) -> str:
        """Send `reply` straight away (threaded like a draft); return the SENT message's id."""
        body = self._draft_body(reply)["message"]
        request = self._users().messages().send(userId=self._user_id, body=body)
        return str(self._run(request)["id"])

    def insert_message(
        self,
        raw: bytes,
        *,
        label_ids: Sequence[str] = ("INBOX", "UNREAD"),
        thread_id: str | None = None,
        date_from_header: bool = False,
    ) -> tuple[str, str]:
        """Deliver an RFC 822 message into the mailbox as received mail (users.messages.insert).

        No message is sent: Gmail files it as if it had arrived. With `date_from_header` its
        internal date is the message's own Date header instead of the time of the call.
        Returns the new message's id and its thread's id.
        """
        body: dict[str, Any] = {
            "raw": base64.urlsafe_b64encode(raw).decode("ascii"),
            "labelIds": list(label_ids),
        }
        if thread_id is not None:
            body["threadId"] = thread_id
        source = "dateHeader" if date_from_header else "receivedTime"
        request = (
            self._users()
            .messages()
            .insert(userId=self._user_id, body=body, internalDateSource=source)
        )
        inserted = self._run(request)
        return str(inserted["id"]), str(inserted["threadId"])

    def list_history(
        self,
        start_history_id: int,
        *,
        history_types: Sequence[HistoryType] = (),
        label_id: str | None = None,
        page_token: str | None = None,
        max_results: int = 100,
    ) -> GmailHistoryPage:
        """One page of the changes after `start_history_id`, oldest first.

        Raises `GmailHistoryExpiredError` when Gmail no longer holds history that old: the
        caller should then list the mailbox again and continue from the profile's history id.
        """
        params: dict[str, Any] = {"startHistoryId": start_history_id, "maxResults": max_results}
        if history_types:
            params["historyTypes"] = list(history_types)
        if label_id:
            params["labelId"] = label_id
        if page_token:
            params["pageToken"] = page_token
        request = self._users().history().list(userId=self._user_id, **params)
        try:
            return parse_history_page(self._run(request))
        except ConnectorError as error:
            if error.status == 404:
                raise GmailHistoryExpiredError(start_history_id) from error
            raise

    def watch(self, topic_name: str, *, label_ids: Sequence[str] = ()) -> GmailWatch:
        """Ask Gmail to push mailbox changes to a Pub/Sub topic; renew before it expires."""
        body: dict[str, Any] = {"topicName": topic_name}
        if label_ids:
            body["labelIds"] = list(label_ids)
            body["labelFilterBehavior"] = "include"
        return parse_watch(self._run(self._users().watch(userId=self._user_id, body=body)))

    def stop_watch(self) -> None:
        """Stop push notifications for this mailbox."""
        self._run(self._users().stop(userId=self._user_id))

    def list_labels(self) -> list[GmailLabel]:
        """The mailbox's system and user labels."""
        return parse_labels(self._run(self._users().labels().list(userId=self._user_id)))

    def get_profile(self) -> GmailProfile:
        """The mailbox's address, totals and current history id (the start of a sync)."""
        return parse_profile(self._run(self._users().getProfile(userId=self._user_id)))
