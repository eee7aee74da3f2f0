"""Re-embed everything with the configured provider: what a provider switch requires.

Drops both vector tables (and their spec rows), the embedding backlog and the sync
bookkeeping, then indexes Gmail (a full listing, then its embedding) and Drive afresh.
Searches in between find empty indexes, never vectors of two dimensions.
"""

from __future__ import annotations

from collections.abc import Callable

from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.drive_index import DriveIndexStats, index_drive
from sales_agent.memory.embedding_backlog import BACKLOG_TABLE
from sales_agent.memory.gmail_index import GmailIndexStats, index_gmail
from sales_agent.memory.vector_index import DRIVE_CHUNKS, MEMORY_MESSAGES, drop_index

__all__ = ["rebuild_indexes"]


def rebuild_indexes(
    services: MemoryServices,
    *,
    gmail_progress: Callable[[int, int], None] | None = None,
    embed_progress: Callable[[int, int], None] | None = None,
    drive_progress: Callable[[int, int, str], None] | None = None,
) -> tuple[GmailIndexStats, DriveIndexStats]:
    """Drop and rebuild the Gmail and Drive indexes with the configured embeddings."""
    for table in (MEMORY_MESSAGES, DRIVE_CHUNKS):
        drop_index(services.pool, table)
    with services.pool.connection() as conn, conn.transaction():
        conn.execute("DELETE FROM gmail_sync_cursors")
        conn.execute(f"DELETE FROM {BACKLOG_TABLE}")
        conn.execute("DELETE FROM drive_index_files")
    gmail = index_gmail(services, full=True, progress=gmail_progress, embed_progress=embed_progress)
    drive = index_drive(services, on_progress=drive_progress)
    return gmail, drive
