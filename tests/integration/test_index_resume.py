"""Indexing at scale: Gmail in batch requests, bulk writes, and a killed index resumed.

A sync is killed by its progress callback raising after a few chunks (as a SIGKILL would
stop it between two stored chunks); the rerun must fetch only what the first run did not,
which the sandbox's request log shows call by call. The embedding drain behind the sync is
stopped by an embedding provider that fails midway: what it had not stored stays queued.
"""

from __future__ import annotations

import dataclasses
import math
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from sales_agent.connectors.gmail_batch import batch_size
from sales_agent.memory.drive_index import index_drive
from sales_agent.memory.embedding_backlog import BACKLOG_TABLE, embed_backlog
from sales_agent.memory.gmail_index import index_gmail, sync_gmail
from sales_agent.memory.vector_index import DRIVE_CHUNKS, MEMORY_MESSAGES, drop_index
from sales_agent.services import Services

_MESSAGE_GET = re.compile(r"^/gmail/v1/users/me/messages/([^/]+)$")
_DRIVE_READ = re.compile(r"^/drive/v3/files/([^/]+)(?:/export)?$")


class KilledError(Exception):
    """Stands for the kill: raised between two stored chunks."""


def _sandbox(services: Services) -> str:
    assert services.sandbox_url is not None
    return services.sandbox_url


def _calls(services: Services) -> list[dict[str, Any]]:
    response = httpx.get(f"{_sandbox(services)}/_sandbox/requests", timeout=10)
    response.raise_for_status()
    return list(response.json()["requests"])


def _forget_calls(services: Services) -> None:
    httpx.delete(f"{_sandbox(services)}/_sandbox/requests", timeout=10).raise_for_status()


def _fetched(calls: list[dict[str, Any]], pattern: re.Pattern[str]) -> list[str]:
    return [m.group(1) for c in calls if c["method"] == "GET" and (m := pattern.match(c["path"]))]


def _count(services: Services, sql: str) -> int:
    with services.pool.connection() as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row["n"])


def _kill_after(handled: int) -> Any:
    def progress(done: int, total: int, *_: object) -> None:
        if done >= handled:
            raise KilledError

    return progress


def _empty_index(services: Services) -> None:
    httpx.post(f"{_sandbox(services)}/_sandbox/reset", timeout=10).raise_for_status()
    drop_index(services.pool, MEMORY_MESSAGES)
    with services.pool.connection() as conn:
        conn.execute(f"DELETE FROM {BACKLOG_TABLE}")
        conn.execute("DELETE FROM gmail_sync_cursors")
    _forget_calls(services)


def test_a_killed_gmail_sync_resumes_without_fetching_again(services: Services) -> None:
    _empty_index(services)
    with pytest.raises(KilledError):
        index_gmail(services, full=True, progress=_kill_after(400))
    first = _fetched(_calls(services), _MESSAGE_GET)
    assert len(first) == 400
    assert _count(services, "SELECT done AS n FROM index_checkpoints") == 400

    _forget_calls(services)
    stats = index_gmail(services, full=True)
    calls = _calls(services)
    second = _fetched(calls, _MESSAGE_GET)
    mailbox = services.connectors.gmail.list_messages(max_results=500).messages
    assert stats.resumed and stats.fetched == len(second) == len(mailbox) - 400
    assert not set(first) & set(second)
    assert set(first) | set(second) == {ref.id for ref in mailbox}
    # The messages came in batches, each within one second of the user's quota.
    batches = [c for c in calls if c["path"] == "/batch/gmail/v1"]
    assert len(batches) == math.ceil(len(second) / batch_size("gmail.users.messages.get"))
    assert _count(services, "SELECT count(*) AS n FROM index_checkpoints") == 0
    # Every message of the seed mailbox is mail the operator received or sent.
    indexed = _count(services, f"SELECT count(*) AS n FROM {MEMORY_MESSAGES.name}")
    assert indexed == len(mailbox)


class _ProviderDownError(Exception):
    """The embedding provider failing, as an API that went down would."""


class _FailsAfter:
    """Embeddings that answer `calls` times, then fail; they count the texts they embedded."""

    def __init__(self, inner: Any, calls: int) -> None:
        self._inner, self._calls, self.texts = inner, calls, 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self._calls == 0:
            raise _ProviderDownError
        self._calls -= 1
        self.texts += len(texts)
        return list(self._inner.embed_documents(texts))

    def embed_query(self, text: str) -> list[float]:
        return list(self._inner.embed_query(text))


def test_the_sync_stores_without_embedding_and_a_failed_drain_loses_nothing(
    services: Services,
) -> None:
    _empty_index(services)
    synced = sync_gmail(services, full=True)
    mailbox = {ref.id for ref in services.connectors.gmail.list_messages(max_results=500).messages}
    assert synced.indexed == len(mailbox) > 200 and synced.embedding is None
    # Stored, not yet embedded: the sync never called the model.
    assert _count(services, f"SELECT count(*) AS n FROM {BACKLOG_TABLE}") == len(mailbox)
    assert _count(services, f"SELECT count(*) AS n FROM {MEMORY_MESSAGES.name}") == 0

    # The provider answers one chunk, then goes down: that chunk is stored, the rest waits.
    flaky = _FailsAfter(services.embeddings, calls=1)
    with pytest.raises(_ProviderDownError):
        embed_backlog(dataclasses.replace(services, embeddings=flaky))
    embedded = _count(services, f"SELECT count(*) AS n FROM {MEMORY_MESSAGES.name}")
    assert embedded == flaky.texts > 0
    assert _count(services, f"SELECT count(*) AS n FROM {BACKLOG_TABLE}") == len(mailbox) - embedded

    # Back up: the next drain embeds exactly the rest, and nothing is fetched again.
    _forget_calls(services)
    counting = _FailsAfter(services.embeddings, calls=100)
    drained = embed_backlog(dataclasses.replace(services, embeddings=counting))
    assert drained.embedded == counting.texts == len(mailbox) - embedded
    assert _count(services, f"SELECT count(*) AS n FROM {BACKLOG_TABLE}") == 0
    assert _count(services, f"SELECT count(*) AS n FROM {MEMORY_MESSAGES.name}") == len(mailbox)
    assert not _fetched(_calls(services), _MESSAGE_GET)
    # A sync now finds everything held: nothing to fetch, nothing queued.
    again = index_gmail(services)
    assert again.fetched == 0 and again.embedding is not None and again.embedding.embedded == 0


def test_drains_side_by_side_embed_each_message_once(services: Services) -> None:
    _empty_index(services)
    queued = sync_gmail(services, full=True).indexed
    counters = [_FailsAfter(services.embeddings, calls=100) for _ in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        drains = list(
            pool.map(lambda e: embed_backlog(dataclasses.replace(services, embeddings=e)), counters)
        )
    assert sum(d.embedded for d in drains) == sum(c.texts for c in counters) == queued
    assert _count(services, f"SELECT count(*) AS n FROM {MEMORY_MESSAGES.name}") == queued


def test_batched_gets_survive_injected_failures(services: Services) -> None:
    ids = [ref.id for ref in services.connectors.gmail.list_messages(max_results=120).messages]
    faults = f"{_sandbox(services)}/_sandbox/faults"
    fault = {"route": "^/gmail/v1/users/me/messages/", "status": 503, "rate": 0.2}
    httpx.post(faults, json=fault, timeout=10).raise_for_status()
    try:
        found = services.connectors.gmail.get_messages([*ids, "no-such-message"])
    finally:
        httpx.delete(faults, timeout=10).raise_for_status()
    assert found.pop("no-such-message") is None
    assert set(found) == set(ids) and all(m is not None and m.id == k for k, m in found.items())


def _indexed_files(services: Services) -> set[str]:
    with services.pool.connection() as conn:
        return {r["file_id"] for r in conn.execute("SELECT file_id FROM drive_index_files")}


def test_a_killed_drive_index_resumes_after_its_last_written_batch(services: Services) -> None:
    drop_index(services.pool, DRIVE_CHUNKS)
    with services.pool.connection() as conn:
        conn.execute("DELETE FROM drive_index_files")
    with pytest.raises(KilledError):
        index_drive(services, on_progress=_kill_after(3), batch_size=1)
    written = _indexed_files(services)
    assert len(written) == 3

    _forget_calls(services)
    stats = index_drive(services)
    read_again = set(_fetched(_calls(services), _DRIVE_READ))
    assert stats.files_skipped == 3 and stats.files_indexed == stats.files_seen - 3
    assert read_again and not read_again & written
    assert len(_indexed_files(services)) == stats.files_seen
