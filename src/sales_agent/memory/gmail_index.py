"""Gmail into memory: the operator's inbound and sent messages, embedded into `memory_messages`.

A sync continues from the history id stored in `gmail_sync_cursors`; with no cursor, on
`full=True`, or when Gmail answers that the stored id is too old (404), it lists the whole
mailbox instead. Either way the row id is the Gmail message id and a message already in the
index is never fetched or embedded again, so a re-run (or a run after a crash, which stores no
cursor) adds nothing twice. The cursor moves only after every batch is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_postgres import PGVectorStore
from pydantic import BaseModel, ConfigDict

from sales_agent.connectors.gmail import GmailClient
from sales_agent.connectors.gmail_models import (
    GmailHistoryExpiredError,
    GmailHistoryRecord,
    HistoryType,
)
from sales_agent.connectors.records import GmailMessage
from sales_agent.errors import ConnectorError
from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.messages import (
    EXCLUDED_LABELS,
    indexable,
    message_document,
    open_message_store,
)
from sales_agent.memory.vector_index import MEMORY_MESSAGES, Pool

__all__ = ["GmailIndexStats", "Progress", "index_gmail", "index_messages", "indexed_ids"]

_log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called as `(done, total)` while messages are fetched and embedded."""

_BATCH = 64  # one embedding call per batch: the providers are much faster on lists
_PAGE = 500  # the largest page users.messages.list and users.history.list serve
# Every change type: each can bring a message into the index or take it out of it.
_HISTORY_TYPES: tuple[HistoryType, ...] = (
    "messageAdded",
    "messageDeleted",
    "labelAdded",
    "labelRemoved",
)
_ENTRY_LABELS = frozenset({"INBOX", "SENT"})

_LOAD_CURSOR = "SELECT history_id FROM gmail_sync_cursors WHERE mailbox = %s"
_SAVE_CURSOR = """
INSERT INTO gmail_sync_cursors (mailbox, history_id, messages_indexed, synced_at)
VALUES (%(mailbox)s, %(history_id)s, %(total)s, now())
ON CONFLICT (mailbox) DO UPDATE
SET history_id = EXCLUDED.history_id,
    messages_indexed = EXCLUDED.messages_indexed,
    synced_at = EXCLUDED.synced_at
"""
_INDEXED_AMONG = f"SELECT langchain_id FROM {MEMORY_MESSAGES.name} WHERE langchain_id = ANY(%s)"
_ALL_INDEXED = f"SELECT langchain_id FROM {MEMORY_MESSAGES.name}"
_COUNT = f"SELECT count(*) AS n FROM {MEMORY_MESSAGES.name}"


class GmailIndexStats(BaseModel):
    """What one sync did."""

    model_config = ConfigDict(frozen=True)

    fetched: int
    """Messages downloaded from Gmail (those not yet in the index)."""
    indexed: int
    """Messages embedded and stored."""
    skipped: int
    """Candidates not embedded: already indexed, or drafts, spam, trash and chats."""
    removed: int
    """Index rows dropped because the message left the mailbox."""
    full_resync: bool
    """True when the whole mailbox was listed rather than the history since the cursor."""
    history_id: int
    """The cursor stored for the next sync."""


@dataclass
class _Plan:
    """The message ids a sync must consider, and the history id to store once it is done."""

    history_id: int
    full: bool
    candidates: list[str] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)


def index_gmail(
    services: MemoryServices, *, full: bool = False, progress: Progress | None = None
) -> GmailIndexStats:
    """Bring `memory_messages` up to date with the operator's mailbox; see the module doc."""
    gmail = services.connectors.gmail
    mailbox = gmail.operator.email.lower()
    store = open_message_store(services)
    cursor = None if full else _load_cursor(services.pool, mailbox)
    plan = _plan(gmail, cursor)
    if plan.full:
        # Whatever the index holds that the mailbox no longer lists was deleted meanwhile.
        plan.removed |= indexed_ids(services.pool, None) - set(plan.candidates)
    wanted = [m for m in plan.candidates if m not in plan.removed]
    already = indexed_ids(services.pool, wanted)
    new = [m for m in wanted if m not in already]
    indexed = _fetch_and_index(services, store, new, progress)
    # Only rows we hold count as removed: most deletions are of drafts, never indexed.
    removed = sorted(indexed_ids(services.pool, sorted(plan.removed))) if plan.removed else []
    if removed:
        store.delete(removed)
    _save_cursor(services.pool, mailbox, plan.history_id)
    return GmailIndexStats(
        fetched=len(new),
        indexed=indexed,
        skipped=len(wanted) - indexed,
        removed=len(removed),
        full_resync=plan.full,
        history_id=plan.history_id,
    )


def _plan(gmail: GmailClient, cursor: int | None) -> _Plan:
    if cursor is not None:
        try:
            return _changes_since(gmail, cursor)
        except GmailHistoryExpiredError:
            # Gmail no longer holds history that old: only a full listing can catch up.
            _log.info("gmail history id %s expired: full resync", cursor)
    return _whole_mailbox(gmail)


def _whole_mailbox(gmail: GmailClient) -> _Plan:
    # The history id is read before listing: a change made while we list is replayed by the
    # next sync (harmless, since indexing is idempotent) rather than lost.
    plan = _Plan(history_id=gmail.get_profile().history_id, full=True)
    token: str | None = None
    while True:
        page = gmail.list_messages(page_token=token, max_results=_PAGE)
        plan.candidates.extend(ref.id for ref in page.messages)
        token = page.next_page_token
        if not token:
            return plan


def _changes_since(gmail: GmailClient, cursor: int) -> _Plan:
    plan = _Plan(history_id=cursor, full=False)
    token: str | None = None
    while True:
        page = gmail.list_history(
            cursor, history_types=_HISTORY_TYPES, page_token=token, max_results=_PAGE
        )
        plan.history_id = page.history_id
        for record in page.records:
            if _leaves_index(record):
                plan.removed.add(record.message.id)
            elif _enters_index(record):
                plan.removed.discard(record.message.id)
                plan.candidates.append(record.message.id)
        token = page.next_page_token
        if not token:
            plan.candidates = list(dict.fromkeys(plan.candidates))  # dedupe, keep order
            return plan


def _leaves_index(record: GmailHistoryRecord) -> bool:
    # Deleted, or moved to the trash or spam.
    added = record.type == "labelAdded" and bool(EXCLUDED_LABELS & set(record.label_ids))
    return record.type == "messageDeleted" or added


def _enters_index(record: GmailHistoryRecord) -> bool:
    # New; back in the inbox after an archive; SENT on a draft Gmail sent in place; or
    # restored from the trash or spam. Already indexed ones are skipped later, not refetched.
    labels = set(record.label_ids)
    if record.type == "labelAdded":
        return bool(_ENTRY_LABELS & labels)
    if record.type == "labelRemoved":
        return bool(EXCLUDED_LABELS & labels)
    return record.type == "messageAdded"


def index_messages(
    services: MemoryServices,
    messages: Sequence[GmailMessage],
    *,
    store: PGVectorStore | None = None,
) -> int:
    """Embed the indexable `messages` in one call and upsert them; return how many.

    Also the way to add a single message as it arrives (a webhook), without a sync.
    """
    documents = [
        message_document(m, operator_email=services.connectors.gmail.operator.email)
        for m in messages
        if indexable(m)
    ]
    if not documents:
        return 0
    texts = [d.text for d in documents]
    (store or open_message_store(services)).add_embeddings(
        texts,
        services.embeddings.embed_documents(texts),
        metadatas=[d.metadata for d in documents],
        ids=[d.message_id for d in documents],
    )
    return len(documents)


def _fetch_and_index(
    services: MemoryServices,
    store: PGVectorStore,
    message_ids: Sequence[str],
    progress: Progress | None,
) -> int:
    gmail = services.connectors.gmail
    indexed = done = 0
    if progress is not None:
        progress(0, len(message_ids))
    for start in range(0, len(message_ids), _BATCH):
        batch = []
        for message_id in message_ids[start : start + _BATCH]:
            try:
                batch.append(gmail.get_message(message_id))
            except ConnectorError as error:
                if error.status != 404:
                    raise
                # Deleted since it was listed: its deletion is in the next sync's history.
                _log.info("gmail message %s is gone, not indexed", message_id)
            done += 1
            if progress is not None:
                progress(done, len(message_ids))
        indexed += index_messages(services, batch, store=store)
    return indexed


def _load_cursor(pool: Pool, mailbox: str) -> int | None:
    with pool.connection() as conn:
        row = conn.execute(_LOAD_CURSOR, (mailbox,)).fetchone()
    return None if row is None else int(row["history_id"])


def _save_cursor(pool: Pool, mailbox: str, history_id: int) -> None:
    """Store the cursor, with the index's size after this sync."""
    with pool.connection() as conn:
        row = conn.execute(_COUNT).fetchone()
        total = int(row["n"]) if row is not None else 0
        params: dict[str, Any] = {"mailbox": mailbox, "history_id": str(history_id)}
        conn.execute(_SAVE_CURSOR, {**params, "total": total})


def indexed_ids(pool: Pool, among: Sequence[str] | None) -> set[str]:
    """The ids already in the index: all of them, or those of `among`."""
    with pool.connection() as conn:
        if among is None:
            rows = conn.execute(_ALL_INDEXED).fetchall()
        else:
            rows = conn.execute(_INDEXED_AMONG, (list(among),)).fetchall()
    return {str(row["langchain_id"]) for row in rows}
