"""Gmail into memory: the operator's inbound and sent messages, embedded into `memory_messages`.

A sync continues from the history id stored in `gmail_sync_cursors`; with no cursor, on
`full=True`, or when Gmail answers that the stored id is too old (404), it lists the whole
mailbox instead. Either way the row id is the Gmail message id and a message already held
(embedded, or queued for embedding) is never fetched again, so a re-run (or a run after a
crash, which stores no cursor) adds nothing twice. The cursor moves only after every chunk
is stored.

Messages are fetched in Gmail batch requests (`GmailClient.get_messages`, paced to the
user's quota) and stored with one multi-row insert per chunk into the embedding backlog
(`embedding_backlog`), which `embed_backlog` then drains into the index: fetching runs at the
mailbox's pace, embedding at the model's. Each chunk's rows and the job's checkpoint
(`index_checkpoints`) are written in one transaction: a sync killed midway resumes after its
last stored chunk, fetching neither what it stored nor what it passed over.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from sales_agent.connectors.gmail import GmailClient
from sales_agent.connectors.gmail_models import (
    GmailHistoryExpiredError,
    GmailHistoryRecord,
    HistoryType,
)
from sales_agent.connectors.records import GmailMessage
from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.embedding_backlog import (
    DrainStats,
    embed_backlog,
    forget_queued,
    queue_documents,
    queued_count,
    queued_ids,
)
from sales_agent.memory.index_checkpoints import (
    advance_checkpoint,
    begin_checkpoint,
    finish_checkpoint,
    load_checkpoint,
)
from sales_agent.memory.messages import (
    EXCLUDED_LABELS,
    MessageDocument,
    indexable,
    message_document,
    open_message_store,
)
from sales_agent.memory.vector_index import MEMORY_MESSAGES, Pool
from sales_agent.memory.vector_rows import VectorRow, upsert_rows

__all__ = [
    "GmailIndexStats",
    "Progress",
    "index_gmail",
    "index_messages",
    "indexable_documents",
    "indexed_ids",
    "sync_gmail",
]

_log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called as `(done, total)` while messages are fetched and stored, then while they are embedded."""

# Messages per chunk: a few Gmail batches, one insert into the backlog, one checkpoint.
_CHUNK = 200
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
    """Messages downloaded from Gmail by this run (those not yet held)."""
    indexed: int
    """Messages stored by this run (queued for embedding, then embedded by the drain)."""
    skipped: int
    """Candidates not stored: already held, or drafts, spam, trash and chats."""
    removed: int
    """Index rows dropped because the message left the mailbox."""
    full_resync: bool
    """True when the whole mailbox was listed rather than the history since the cursor."""
    history_id: int
    """The cursor stored for the next sync."""
    resumed: bool = False
    """True when the run continued an interrupted sync from its checkpoint."""
    seconds: float = 0.0
    """How long listing, fetching and storing took."""
    embedding: DrainStats | None = None
    """The drain that embedded the backlog after the sync (None when it was left to run later)."""


@dataclass
class _Plan:
    """The message ids a sync must consider, and the history id to store once it is done."""

    history_id: int
    full: bool
    candidates: list[str] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)


def index_gmail(
    services: MemoryServices,
    *,
    full: bool = False,
    progress: Progress | None = None,
    embed_progress: Progress | None = None,
) -> GmailIndexStats:
    """Sync the mailbox into the backlog, then embed the backlog into `memory_messages`."""
    stats = sync_gmail(services, full=full, progress=progress)
    return stats.model_copy(update={"embedding": embed_backlog(services, progress=embed_progress)})


def sync_gmail(
    services: MemoryServices, *, full: bool = False, progress: Progress | None = None
) -> GmailIndexStats:
    """Store what the mailbox holds and the index does not, queued for embedding; see above."""
    started = time.perf_counter()
    gmail = services.connectors.gmail
    mailbox = gmail.operator.email.lower()
    job = f"gmail:{mailbox}"
    store = open_message_store(services)  # creates the table the queries below read
    resumed = load_checkpoint(services.pool, job)
    cursor = None if full else _load_cursor(services.pool, mailbox)
    plan = _plan(gmail, cursor)
    if plan.full:
        # Whatever the index holds that the mailbox no longer lists was deleted meanwhile.
        plan.removed |= _held_ids(services.pool, None) - set(plan.candidates)
    wanted = [m for m in plan.candidates if m not in plan.removed]
    skip = _held_ids(services.pool, wanted) | (resumed.passed if resumed else frozenset())
    new = [m for m in wanted if m not in skip]
    done = resumed.done if resumed else 0
    begin_checkpoint(services.pool, job, done=done, total=done + len(new))
    indexed = _fetch_and_queue(services, job, new, _Counter(done, done + len(new), progress))
    # Only rows we hold count as removed: most deletions are of drafts, never indexed.
    removed = sorted(_held_ids(services.pool, sorted(plan.removed))) if plan.removed else []
    if removed:
        with services.pool.connection() as conn:
            forget_queued(conn, removed)
        store.delete(removed)
    _save_cursor(services.pool, mailbox, plan.history_id, job)
    return GmailIndexStats(
        fetched=len(new),
        indexed=indexed,
        skipped=len(wanted) - indexed,
        removed=len(removed),
        full_resync=plan.full,
        history_id=plan.history_id,
        resumed=resumed is not None,
        seconds=round(time.perf_counter() - started, 3),
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


def indexable_documents(
    services: MemoryServices, messages: Sequence[GmailMessage]
) -> list[MessageDocument]:
    """The indexable `messages` as the documents memory stores."""
    operator = services.connectors.gmail.operator.email
    return [message_document(m, operator_email=operator) for m in messages if indexable(m)]


def _rows(services: MemoryServices, messages: Sequence[GmailMessage]) -> list[VectorRow]:
    """The indexable `messages` as rows, embedded in one call."""
    documents = indexable_documents(services, messages)
    if not documents:
        return []
    vectors = services.embeddings.embed_documents([d.text for d in documents])
    return [
        VectorRow(d.message_id, d.text, vector, d.metadata)
        for d, vector in zip(documents, vectors, strict=True)
    ]


def index_messages(services: MemoryServices, messages: Sequence[GmailMessage]) -> int:
    """Embed the indexable `messages` in one call and upsert them; return how many.

    The way to add a thread's few messages at once, without a sync and without waiting for
    the backlog: any of them the sync had queued leave the backlog in the same transaction.
    """
    open_message_store(services)  # the table, created for the configured embeddings
    rows = _rows(services, messages)
    with services.pool.connection() as conn, conn.transaction():
        forget_queued(conn, [row.id for row in rows])
        return upsert_rows(conn, MEMORY_MESSAGES, rows)


@dataclass
class _Counter:
    """Messages handled of the job's total (a resumed job counts from where it was)."""

    done: int
    total: int
    report: Progress | None

    def advance(self, handled: int) -> None:
        self.done += handled
        if self.report is not None:
            self.report(self.done, self.total)


def _fetch_and_queue(
    services: MemoryServices, job: str, message_ids: Sequence[str], counter: _Counter
) -> int:
    """Fetch `message_ids` and queue them for embedding chunk by chunk, checkpointing each."""
    gmail = services.connectors.gmail
    stored_total = 0
    counter.advance(0)
    for start in range(0, len(message_ids), _CHUNK):
        chunk = message_ids[start : start + _CHUNK]
        fetched = gmail.get_messages(chunk)
        # A message deleted since it was listed (None): its deletion is in the next history.
        documents = indexable_documents(services, [m for m in fetched.values() if m is not None])
        stored = {d.message_id for d in documents}
        with services.pool.connection() as conn, conn.transaction():
            queue_documents(conn, documents)
            passed = [m for m in chunk if m not in stored]
            advance_checkpoint(conn, job, done=len(chunk), passed=passed)
        stored_total += len(documents)
        counter.advance(len(chunk))
    return stored_total


def _load_cursor(pool: Pool, mailbox: str) -> int | None:
    with pool.connection() as conn:
        row = conn.execute(_LOAD_CURSOR, (mailbox,)).fetchone()
    return None if row is None else int(row["history_id"])


def _save_cursor(pool: Pool, mailbox: str, history_id: int, job: str) -> None:
    """Store the cursor, with what the index holds after this sync; the job is then complete."""
    with pool.connection() as conn, conn.transaction():
        row = conn.execute(_COUNT).fetchone()
        total = (int(row["n"]) if row is not None else 0) + queued_count(conn)
        params: dict[str, Any] = {"mailbox": mailbox, "history_id": str(history_id)}
        conn.execute(_SAVE_CURSOR, {**params, "total": total})
        finish_checkpoint(conn, job)


def _held_ids(pool: Pool, among: Sequence[str] | None) -> set[str]:
    """The ids embedded or queued for embedding: all of them, or those of `among`."""
    return indexed_ids(pool, among) | queued_ids(pool, among)


def indexed_ids(pool: Pool, among: Sequence[str] | None) -> set[str]:
    """The ids already embedded in the index: all of them, or those of `among`."""
    with pool.connection() as conn:
        if among is None:
            rows = conn.execute(_ALL_INDEXED).fetchall()
        else:
            rows = conn.execute(_INDEXED_AMONG, (list(among),)).fetchall()
    return {str(row["langchain_id"]) for row in rows}
