"""Drive indexing: the allowlisted folders' Docs, PDFs and Sheets, chunked into pgvector.

`drive_index_files` remembers each file's `modifiedTime` and chunk count; a file whose
`modifiedTime`, name and folder are unchanged, and whose chunks are all still in the table,
is skipped without reading or embedding it. A changed file loses all its old chunks before
the new ones are written; a file gone from the allowlisted folders loses its chunks and row.

Files are embedded a batch at a time and each batch is written in one transaction: one
DELETE of the files' old chunks, one multi-row upsert of the new ones, and their records.
A run killed midway keeps the batches it wrote and, run again, reads only the files after.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from sales_agent.connectors.drive_models import DriveFile
from sales_agent.errors import ConnectorError
from sales_agent.memory.chunking import chunk_text
from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.vector_index import DRIVE_CHUNKS, open_vector_store
from sales_agent.memory.vector_rows import VectorRow, upsert_rows

if TYPE_CHECKING:
    from langchain_postgres import PGVectorStore

__all__ = [
    "INDEXED_MIME_TYPES",
    "DriveIndexStats",
    "ProgressCallback",
    "drive_store",
    "index_drive",
    "indexed_file_count",
]

logger = logging.getLogger(__name__)

INDEXED_MIME_TYPES = (
    "application/vnd.google-apps.document",
    "application/pdf",
    "application/vnd.google-apps.spreadsheet",
)
"""Docs, PDFs and Sheets: the kinds `DriveClient.read_text` turns into prose worth citing."""

ProgressCallback = Callable[[int, int, str], None]
"""Called as `(files done, files seen, file name)` after each file is skipped or written."""

_DEFAULT_BATCH = 64

# What is recorded per file, with the chunks actually stored: a count short of the record
# (the table was rebuilt for another provider, or a run died mid-file) means re-index.
_KNOWN_FILES = f"""
SELECT f.file_id, f.name, f.folder, f.modified_time, f.chunks,
       count(c.langchain_id) AS stored
FROM drive_index_files f LEFT JOIN {DRIVE_CHUNKS.name} c ON c.file_id = f.file_id
GROUP BY f.file_id
"""
_RECORD_FILE = """
INSERT INTO drive_index_files
    (file_id, name, folder, mime_type, asset_type, modified_time, chunks, indexed_at)
VALUES (%(file_id)s, %(name)s, %(folder)s, %(mime_type)s, %(asset_type)s,
        %(modified_time)s, %(chunks)s, now())
ON CONFLICT (file_id) DO UPDATE SET
    name = EXCLUDED.name, folder = EXCLUDED.folder, mime_type = EXCLUDED.mime_type,
    asset_type = EXCLUDED.asset_type, modified_time = EXCLUDED.modified_time,
    chunks = EXCLUDED.chunks, indexed_at = EXCLUDED.indexed_at
"""
_FORGET_FILES = "DELETE FROM drive_index_files WHERE file_id = ANY(%s)"
# By file, not by id: a changed file with fewer chunks leaves no tail behind.
_DELETE_CHUNKS = f"DELETE FROM {DRIVE_CHUNKS.name} WHERE file_id = ANY(%s)"
_COUNT_FILES = "SELECT count(*) AS n FROM drive_index_files WHERE chunks > 0"


class DriveIndexStats(BaseModel):
    """What one `index_drive` run did."""

    files_seen: int = Field(description="Docs, PDFs and Sheets in the allowlisted folders.")
    files_indexed: int = Field(description="Files read, chunked and embedded (new or changed).")
    files_skipped: int = Field(description="Files unchanged since the last run: not re-read.")
    files_failed: int = Field(description="Files that could not be read; retried next run.")
    files_removed: int = Field(description="Files gone from the allowlist: chunks deleted.")
    chunks: int = Field(description="Chunks written by this run.")
    embeddings: int = Field(description="Vectors computed by this run (one per chunk written).")


@dataclass
class _Pending:
    """A file read and chunked, waiting for its batch's embeddings."""

    file: DriveFile
    chunks: list[str]


@dataclass
class _Run:
    """One run's store, counters and progress reporting."""

    services: MemoryServices
    store: PGVectorStore
    total: int
    on_progress: ProgressCallback | None
    done: int = 0
    indexed: int = 0
    failed: int = 0
    chunks: int = 0
    pending: list[_Pending] = field(default_factory=list)

    def advance(self, file: DriveFile) -> None:
        self.done += 1
        if self.on_progress is not None:
            self.on_progress(self.done, self.total, file.name)


def drive_store(services: MemoryServices) -> PGVectorStore:
    """The `drive_chunks` vector store, created for the configured embeddings if missing.

    Raises `IndexMismatchError` (run `sales-agent index rebuild`) when it was built with
    another embeddings provider.
    """
    return open_vector_store(
        services.pool,
        services.database_url,
        DRIVE_CHUNKS,
        services.embeddings,
        services.embedding_spec,
    )


def indexed_file_count(services: MemoryServices) -> int:
    """How many Drive files have chunks in the index (0: `sales-agent index drive` first)."""
    with services.pool.connection() as conn:
        row = conn.execute(_COUNT_FILES).fetchone()
    return int(row["n"]) if row else 0


def index_drive(
    services: MemoryServices,
    *,
    on_progress: ProgressCallback | None = None,
    batch_size: int = _DEFAULT_BATCH,
) -> DriveIndexStats:
    """Bring the Drive index up to date with the allowlisted folders; re-embed changed files only.

    Embeddings are computed `batch_size` chunks at a time (across files), each file's chunks
    written as soon as its batch is embedded, so an interrupted run keeps what it finished.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    store = drive_store(services)  # first: it creates the table `_KNOWN_FILES` joins
    files = services.connectors.drive.list_files(mime_types=INDEXED_MIME_TYPES)
    with services.pool.connection() as conn:
        known = {row["file_id"]: row for row in conn.execute(_KNOWN_FILES)}
    vanished = sorted(set(known) - {file.id for file in files})
    _forget(services, store, vanished)

    run = _Run(services, store, total=len(files), on_progress=on_progress)
    for file in files:
        if _is_current(file, known.get(file.id)):
            run.advance(file)
            continue
        try:
            text = services.connectors.drive.read_text(file.id)
        except ConnectorError as error:
            # One unreadable file (a scanned PDF, a file moved out mid-run) must not stop the
            # rest; it stays unrecorded, so the next run tries it again.
            logger.warning("drive index: skipping %s (%s): %s", file.name, file.id, error.message)
            run.failed += 1
            run.advance(file)
            continue
        run.pending.append(_Pending(file, chunk_text(text)))
        if sum(len(pending.chunks) for pending in run.pending) >= batch_size:
            _flush(run)
    _flush(run)
    return DriveIndexStats(
        files_seen=len(files),
        files_indexed=run.indexed,
        files_skipped=len(files) - run.indexed - run.failed,
        files_failed=run.failed,
        files_removed=len(vanished),
        chunks=run.chunks,
        embeddings=run.chunks,
    )


def _is_current(file: DriveFile, known: dict[str, Any] | None) -> bool:
    # Name and folder too: they decide the asset type and the name stored with each chunk.
    return (
        known is not None
        and known["modified_time"] == _modified(file)
        and known["name"] == file.name
        and known["folder"] == file.folder_name
        and known["stored"] == known["chunks"]
    )


def _modified(file: DriveFile) -> str:
    return file.modified_time.isoformat()


def _flush(run: _Run) -> None:
    """Embed the pending files' chunks in one call, then write them all in one transaction."""
    if not run.pending:
        return
    # The file name goes into each vector (not the stored text): a Sheet's chunks are bare
    # rows, and "pricing" should find "Pricing 2026 - day rates" by its title.
    texts = [f"{p.file.name}\n\n{chunk}" for p in run.pending for chunk in p.chunks]
    vectors = iter(run.services.embeddings.embed_documents(texts) if texts else [])
    rows = [
        VectorRow(
            f"{p.file.id}:{index}",
            chunk,
            next(vectors),
            {
                "file_id": p.file.id,
                "file_name": p.file.name,
                "asset_type": p.file.asset_type,
                "chunk_index": index,
            },
        )
        for p in run.pending
        for index, chunk in enumerate(p.chunks)
    ]
    with run.services.pool.connection() as conn, conn.transaction():
        conn.execute(_DELETE_CHUNKS, ([p.file.id for p in run.pending],))
        upsert_rows(conn, DRIVE_CHUNKS, rows)
        conn.cursor().executemany(_RECORD_FILE, [_record(p) for p in run.pending])
    for pending in run.pending:
        run.indexed += 1
        run.chunks += len(pending.chunks)
        run.advance(pending.file)
    run.pending = []


def _record(pending: _Pending) -> dict[str, Any]:
    file = pending.file
    return {
        "file_id": file.id,
        "name": file.name,
        "folder": file.folder_name,
        "mime_type": file.mime_type,
        "asset_type": file.asset_type,
        "modified_time": _modified(file),
        "chunks": len(pending.chunks),
    }


def _forget(services: MemoryServices, store: PGVectorStore, file_ids: list[str]) -> None:
    """Remove the chunks, then the records, of files no longer in the allowlisted folders."""
    if not file_ids:
        return
    store.delete(filter={"file_id": {"$in": file_ids}})
    with services.pool.connection() as conn:
        conn.execute(_FORGET_FILES, (file_ids,))
