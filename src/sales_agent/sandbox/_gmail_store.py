"""One mailbox: messages kept as raw RFC 822 bytes, grouped into threads, with a history.

Every change (a message added or deleted, labels changed) bumps the mailbox's history id
and appends a record, so a client syncing from a stored history id sees what happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from typing import Literal

from sales_agent.sandbox._errors import NotFoundError
from sales_agent.sandbox._gmail_query import MessageFields, SearchQuery

__all__ = ["GmailStore", "HistoryRecord", "HistoryType", "MessageRef", "StoredMessage"]

_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?)\s*:\s*)+", re.IGNORECASE)
_NOT_FOUND = "Requested entity was not found."

# What a query without terms is given instead of a parse: at 200,000 messages, parsing each
# one to list a page (the fields' cache holds a few thousand) is what made listing slow.
_UNREAD = MessageFields(sender="", recipients="", subject="", text="")

HistoryType = Literal["messageAdded", "messageDeleted", "labelAdded", "labelRemoved"]


def _header_text(name: str, value: str) -> str:
    """A header's value as Gmail shows it: unfolded, encoded words decoded, otherwise as sent."""
    return str(make_header(decode_header(value))) if "=?" in value else value


# The default policy with headers read as plain text. Its header registry parses every
# header into a structured object on each access, which was nine tenths of rendering a
# message (1.4 ms of 1.5 ms): a full mailbox sync read every message once, so no cache helps.
# Gmail answers headers as they were sent (`charset=utf-8`, not the registry's re-quoted
# `charset="utf-8"`), which plain text is closer to.
_READ_POLICY = policy.default.clone(header_factory=_header_text)


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
        """Parse `raw` into its MIME tree, headers as text (`_READ_POLICY`)."""
        return message_from_bytes(self.raw, policy=_READ_POLICY)

    @property
    def fields(self) -> MessageFields:
        """The searchable fields, parsed once per distinct message."""
        return _fields(self.raw)


# Keyed by the raw bytes, so a reset (same messages, new objects) reuses every parse.
@lru_cache(maxsize=4096)
def _fields(raw: bytes) -> MessageFields:
    return MessageFields.of(message_from_bytes(raw, policy=policy.default))


@dataclass(frozen=True)
class MessageRef:
    """A message as a history record names it, kept even after the message is gone."""

    id: str
    thread_id: str
    label_ids: tuple[str, ...]


@dataclass(frozen=True)
class HistoryRecord:
    """One change to the mailbox; `label_ids` are the labels added or removed."""

    id: int
    type: HistoryType
    message: MessageRef
    label_ids: tuple[str, ...] = ()


@dataclass
class GmailStore:
    """Messages, drafts and history of one mailbox; ids are deterministic per store."""

    address: str = ""
    messages: dict[str, StoredMessage] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)  # draft id -> message id
    history_id: int = 1000
    history: list[HistoryRecord] = field(default_factory=list)
    # Gmail keeps history for a limited time; a start id below this is too old to sync from.
    history_floor: int = 0
    watch_topic: str | None = None  # the Pub/Sub topic of users.watch, until users.stop
    _counter: int = 0

    def _next_id(self) -> str:
        self._counter += 1
        return f"{0x18F0000000000000 + self._counter:016x}"

    def _record(
        self, kind: HistoryType, message: StoredMessage, labels: tuple[str, ...] = ()
    ) -> None:
        self.history_id += 1
        ref = MessageRef(message.id, message.thread_id, tuple(message.label_ids))
        self.history.append(HistoryRecord(self.history_id, kind, ref, labels))
        message.history_id = self.history_id

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
        self._record("messageAdded", message)
        return message

    def _delete(self, message_id: str) -> None:
        self._record("messageDeleted", self.messages.pop(message_id))

    def forget_history(self, before: datetime) -> None:
        """Drop the records of messages older than `before`, as Gmail lets history expire."""
        expired = {m.id for m in self.messages.values() if m.internal_date < before}
        dropped = [r.id for r in self.history if r.message.id in expired]
        self.history = [r for r in self.history if r.message.id not in expired]
        self.history_floor = max(dropped, default=self.history_floor)

    def message(self, message_id: str) -> StoredMessage:
        """Return one message."""
        found = self.messages.get(message_id)
        if found is None:
            raise NotFoundError(_NOT_FOUND)
        return found

    def thread(self, thread_id: str) -> list[StoredMessage]:
        """Return the messages of a thread, oldest first."""
        found = [m for m in self.messages.values() if m.thread_id == thread_id]
        if not found:
            raise NotFoundError(_NOT_FOUND)
        return sorted(found, key=lambda m: (m.internal_date, m.id))

    def threads(self) -> dict[str, list[StoredMessage]]:
        """Every thread's messages, oldest first, keyed by thread id."""
        grouped: dict[str, list[StoredMessage]] = {}
        for message in sorted(self.messages.values(), key=lambda m: (m.internal_date, m.id)):
            grouped.setdefault(message.thread_id, []).append(message)
        return grouped

    def search(
        self, query: SearchQuery, *, label_ids: list[str], include_spam_trash: bool
    ) -> list[StoredMessage]:
        """The messages matching `query` and carrying every one of `label_ids`, newest first."""
        wanted = set(label_ids)
        found = [
            m
            for m in self.messages.values()
            if wanted <= set(m.label_ids)
            and query.matches(
                m.fields if query.tests else _UNREAD,
                m.label_ids,
                m.internal_date,
                include_spam_trash=include_spam_trash,
            )
        ]
        return sorted(found, key=lambda m: (m.internal_date, m.id), reverse=True)

    def search_threads(
        self, query: SearchQuery, *, label_ids: list[str], include_spam_trash: bool
    ) -> list[list[StoredMessage]]:
        """Threads holding a matching message, the most recently active first."""
        hits = self.search(query, label_ids=label_ids, include_spam_trash=include_spam_trash)
        thread_ids = {m.thread_id for m in hits}
        threads = [t for key, t in self.threads().items() if key in thread_ids]
        return sorted(threads, key=lambda t: (t[-1].internal_date, t[-1].id), reverse=True)

    def _threaded(self, raw: bytes, thread_id: str | None) -> str | None:
        """The thread a new message joins: the requested one only if Gmail would thread it."""
        if thread_id is None:
            return None
        parsed = message_from_bytes(raw, policy=policy.default)
        return thread_id if _belongs_to(parsed, self.thread(thread_id)) else None

    def create_draft(self, raw: bytes, *, thread_id: str | None, now: datetime) -> str:
        """Store a draft; return its id."""
        draft_id = f"r-{self._next_id()}"
        thread = self._threaded(raw, thread_id)
        self.drafts[draft_id] = self.add(
            raw, thread_id=thread, label_ids=["DRAFT"], internal_date=now
        ).id
        return draft_id

    def update_draft(
        self, draft_id: str, raw: bytes, *, thread_id: str | None, now: datetime
    ) -> None:
        """Replace a draft's message (a new message id, as Gmail does)."""
        old = self.draft(draft_id)
        thread = self._threaded(raw, thread_id)
        self.drafts[draft_id] = self.add(
            raw, thread_id=thread, label_ids=["DRAFT"], internal_date=now
        ).id
        self._delete(old.id)

    def delete_draft(self, draft_id: str) -> None:
        """Delete a draft and its message."""
        message = self.draft(draft_id)
        del self.drafts[draft_id]
        self._delete(message.id)

    def draft(self, draft_id: str) -> StoredMessage:
        """Return the message behind a draft."""
        message_id = self.drafts.get(draft_id)
        if message_id is None:
            raise NotFoundError(_NOT_FOUND)
        return self.messages[message_id]

    def send(self, raw: bytes, *, thread_id: str | None, now: datetime) -> StoredMessage:
        """Send a message: stamped as Gmail stamps it, labelled SENT, threaded by Gmail's rule."""
        thread = self._threaded(raw, thread_id)
        return self.add(
            _stamped(raw, self.address, now),
            thread_id=thread,
            label_ids=["SENT"],
            internal_date=now,
        )

    def insert(
        self, raw: bytes, *, thread_id: str | None, label_ids: list[str], now: datetime
    ) -> StoredMessage:
        """Insert a message as delivered mail (users.messages.insert): as given, threaded."""
        thread = self._threaded(raw, thread_id)
        return self.add(raw, thread_id=thread, label_ids=label_ids, internal_date=now)

    def send_draft(self, draft_id: str, *, now: datetime) -> StoredMessage:
        """Send a draft: it leaves the drafts and becomes a SENT message in its thread."""
        draft = self.draft(draft_id)
        del self.drafts[draft_id]
        self._delete(draft.id)
        raw = _stamped(draft.raw, self.address, now)
        return self.add(raw, thread_id=draft.thread_id, label_ids=["SENT"], internal_date=now)


def _stamped(raw: bytes, sender: str, now: datetime) -> bytes:
    """Add what Gmail adds on sending when the client left it out: From, Date, Message-ID."""
    parsed = message_from_bytes(raw, policy=policy.default)
    if "From" not in parsed and sender:
        parsed["From"] = sender
    if "Date" not in parsed:
        parsed["Date"] = format_datetime(now)
    if "Message-ID" not in parsed:
        domain = sender.rpartition("@")[2] or "mail.gmail.com"
        parsed["Message-ID"] = make_msgid(domain=domain)
    return parsed.as_bytes()


def _belongs_to(draft: EmailMessage, thread: list[StoredMessage]) -> bool:
    """Gmail's threading rule: a referenced Message-ID from the thread and a matching subject."""
    parents = f"{draft.get('In-Reply-To', '')} {draft.get('References', '')}"
    thread_ids = {str(m.parsed().get("Message-ID", "")).strip() for m in thread}
    referenced = any(ref in thread_ids for ref in parents.split())
    subject = _REPLY_PREFIX.sub("", str(draft.get("Subject", ""))).strip().lower()
    first = _REPLY_PREFIX.sub("", str(thread[0].parsed().get("Subject", ""))).strip().lower()
    return referenced and subject == first
