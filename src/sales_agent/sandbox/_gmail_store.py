"""The operator's mailbox: messages kept as raw RFC 822 bytes, grouped into threads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

from sales_agent.sandbox._errors import NotFoundError

__all__ = ["GmailStore", "StoredMessage"]

_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?)\s*:\s*)+", re.IGNORECASE)


@dataclass
class StoredMessage:
    """One message as Gmail keeps it: the raw bytes plus Gmail's own metadata."""

    id: str
    thread_id: str
    label_ids: list[str]
    internal_date: datetime
    history_id: int
    raw: bytes

    def parsed(self) -> EmailMessage:
        """Parse `raw` into its MIME tree."""
        return message_from_bytes(self.raw, policy=policy.default)


@dataclass
class GmailStore:
    """Messages and drafts of one mailbox; ids are deterministic per store."""

    messages: dict[str, StoredMessage] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)  # draft id -> message id
    history_id: int = 1000
    _counter: int = 0

    def _next_id(self) -> str:
        self._counter += 1
        return f"{0x18F0000000000000 + self._counter:016x}"

    def add(
        self,
        raw: bytes,
        *,
        thread_id: str | None,
        label_ids: list[str],
        internal_date: datetime,
        message_id: str | None = None,
    ) -> StoredMessage:
        """Store a message; without `thread_id` it starts its own thread (Gmail's convention)."""
        self.history_id += 1
        new_id = message_id or self._next_id()
        message = StoredMessage(
            id=new_id,
            thread_id=thread_id or new_id,
            label_ids=label_ids,
            internal_date=internal_date,
            history_id=self.history_id,
            raw=raw,
        )
        self.messages[message.id] = message
        return message

    def thread(self, thread_id: str) -> list[StoredMessage]:
        """Return the messages of a thread, oldest first."""
        found = [m for m in self.messages.values() if m.thread_id == thread_id]
        if not found:
            raise NotFoundError("Requested entity was not found.")
        return sorted(found, key=lambda m: (m.internal_date, m.id))

    def _add_draft_message(self, raw: bytes, thread_id: str | None, now: datetime) -> str:
        """Store a draft's message, threaded only when Gmail would thread it."""
        if thread_id is not None:
            draft = message_from_bytes(raw, policy=policy.default)
            if not _belongs_to(draft, self.thread(thread_id)):
                thread_id = None
        return self.add(raw, thread_id=thread_id, label_ids=["DRAFT"], internal_date=now).id

    def create_draft(self, raw: bytes, *, thread_id: str | None, now: datetime) -> str:
        """Store a draft; return its id."""
        draft_id = f"r-{self._next_id()}"
        self.drafts[draft_id] = self._add_draft_message(raw, thread_id, now)
        return draft_id

    def update_draft(
        self, draft_id: str, raw: bytes, *, thread_id: str | None, now: datetime
    ) -> None:
        """Replace a draft's message (a new message id, as Gmail does)."""
        old = self.draft(draft_id)
        self.drafts[draft_id] = self._add_draft_message(raw, thread_id, now)
        del self.messages[old.id]

    def delete_draft(self, draft_id: str) -> None:
        """Delete a draft and its message."""
        message = self.draft(draft_id)
        del self.drafts[draft_id]
        del self.messages[message.id]

    def draft(self, draft_id: str) -> StoredMessage:
        """Return the message behind a draft."""
        message_id = self.drafts.get(draft_id)
        if message_id is None:
            raise NotFoundError("Requested entity was not found.")
        return self.messages[message_id]


def _belongs_to(draft: EmailMessage, thread: list[StoredMessage]) -> bool:
    """Gmail's threading rule: a referenced Message-ID from the thread and a matching subject."""
    parents = f"{draft.get('In-Reply-To', '')} {draft.get('References', '')}"
    thread_ids = {str(m.parsed().get("Message-ID", "")).strip() for m in thread}
    referenced = any(ref in thread_ids for ref in parents.split())
    subject = _REPLY_PREFIX.sub("", str(draft.get("Subject", ""))).strip().lower()
    first = _REPLY_PREFIX.sub("", str(thread[0].parsed().get("Subject", ""))).strip().lower()
    return referenced and subject == first
