"""The pgvector tables memory searches, opened as langchain-postgres `PGVectorStore`s.

Each table records (in `embedding_indexes`) the embedding spec its vectors came from. Opening
it with another spec raises `IndexMismatchError`, which tells the operator to run
`sales-agent index rebuild`: a provider switch is a re-index, never a crash deep in a query
or a silent mix of dimensions.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings
from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from sales_agent.db.urls import sqlalchemy_url
from sales_agent.errors import SalesAgentError
from sales_agent.memory.embeddings import EmbeddingSpec

if TYPE_CHECKING:
    from langchain_postgres import PGEngine, PGVectorStore

__all__ = [
    "DRIVE_CHUNKS",
    "EF_SEARCH",
    "MEMORY_MESSAGES",
    "IndexMismatchError",
    "IndexTable",
    "Pool",
    "drop_index",
    "ensure_table",
    "open_vector_store",
    "recorded_spec",
]


class IndexMismatchError(SalesAgentError):
    """The index was built by another embedding spec than the configured one."""

    code = "index_mismatch"


@dataclass(frozen=True)
class IndexTable:
    """A vector table: its name and its typed metadata columns (name -> SQL type)."""

    name: str
    columns: tuple[tuple[str, str], ...]
    filter_columns: tuple[str, ...]
    """Columns searches filter on: each gets a btree index, so a selective filter is an exact
    scan of few rows rather than an HNSW walk that may drop matches."""

    @property
    def column_names(self) -> list[str]:
        """The metadata column names, in table order."""
        return [name for name, _ in self.columns]


MEMORY_MESSAGES = IndexTable(
    name="memory_messages",
    columns=(
        ("thread_id", "text"),
        ("sender", "text"),
        ("sent_at", "timestamptz"),
        ("direction", "text"),
        ("contact_email", "text"),
        ("company_domain", "text"),
        ("preview", "text"),
    ),
    filter_columns=("contact_email", "company_domain", "thread_id"),
)

DRIVE_CHUNKS = IndexTable(
    name="drive_chunks",
    columns=(
        ("file_id", "text"),
        ("file_name", "text"),
        ("asset_type", "text"),
        ("chunk_index", "integer"),
    ),
    filter_columns=("file_id", "asset_type"),
)

Pool = ConnectionPool[Connection[DictRow]]

# pgvector's default ef_search (40) gave recall@10 0.877 at 100k chunks in `bench retrieval`;
# a wider search list buys recall for a few milliseconds (see docs/BENCHMARKS.md).
EF_SEARCH = 100


def recorded_spec(conn: Connection[DictRow], table: IndexTable) -> EmbeddingSpec | None:
    """The spec `table` was built with, or None when it has not been built."""
    from sales_agent.config import EmbeddingsProvider

    row = conn.execute(
        "SELECT provider, model, dimension FROM embedding_indexes WHERE name = %s",
        (table.name,),
    ).fetchone()
    if row is None:
        return None
    return EmbeddingSpec(EmbeddingsProvider(row["provider"]), row["model"], row["dimension"])


def _create(conn: Connection[DictRow], table: IndexTable, spec: EmbeddingSpec) -> None:
    # Our own DDL rather than PGEngine.init_vectorstore_table: the table, its indexes and the
    # spec row are created in one transaction, so a crash can't leave a table with no spec.
    columns = "".join(f",\n    {name} {sql_type}" for name, sql_type in table.columns)
    with conn.transaction():
        conn.execute(
            f"""CREATE TABLE {table.name} (
    langchain_id text PRIMARY KEY,
    content text NOT NULL,
    embedding vector({spec.dimension}) NOT NULL{columns},
    langchain_metadata json
)"""
        )
        # Cosine: PGVectorStore's default distance, and what normalised sentence vectors use.
        conn.execute(
            f"CREATE INDEX {table.name}_hnsw ON {table.name} "
            "USING hnsw (embedding vector_cosine_ops)"
        )
        for column in table.filter_columns:
            conn.execute(f"CREATE INDEX {table.name}_{column}_idx ON {table.name} ({column})")
        conn.execute(
            "INSERT INTO embedding_indexes (name, provider, model, dimension) "
            "VALUES (%s, %s, %s, %s)",
            (table.name, spec.provider.value, spec.model, spec.dimension),
        )


def ensure_table(pool: Pool, table: IndexTable, spec: EmbeddingSpec) -> None:
    """Create `table` for `spec` if it is missing; refuse if it was built with another spec."""
    with pool.connection() as conn, conn.transaction():
        # One creator at a time: two processes indexing at once must not both CREATE.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (table.name,))
        recorded = recorded_spec(conn, table)
        if recorded is None:
            conn.execute(f"DROP TABLE IF EXISTS {table.name}")
            _create(conn, table, spec)
            return
    if recorded != spec:
        raise IndexMismatchError(
            f"the {table.name} index holds {recorded.describe()} vectors but the configured "
            f"embeddings are {spec.describe()}: run `sales-agent index rebuild` to re-embed "
            "with the configured provider (or set SALES_AGENT_EMBEDDINGS back)"
        )


def drop_index(pool: Pool, table: IndexTable) -> None:
    """Remove `table` and its spec row (the next `ensure_table` builds it afresh)."""
    _forget_stores(table)
    with pool.connection() as conn, conn.transaction():
        conn.execute(f"DROP TABLE IF EXISTS {table.name}")
        conn.execute("DELETE FROM embedding_indexes WHERE name = %s", (table.name,))


_engines: dict[str, PGEngine] = {}
_engines_lock = threading.Lock()


def _engine(database_url: str) -> PGEngine:
    # langchain-postgres (and SQLAlchemy under it) loads with the first store a process
    # opens, not with every import of the memory modules: a third of a second of each start.
    from langchain_postgres import PGEngine

    # One engine (an async pool on langchain-postgres's background loop) per database and
    # process: each engine holds connections, and searches are many and short.
    with _engines_lock:
        engine = _engines.get(database_url)
        if engine is None:
            engine = PGEngine.from_connection_string(
                sqlalchemy_url(database_url), pool_size=5, pool_pre_ping=True
            )
            _engines[database_url] = engine
        return engine


# Opened stores, re-checked against the recorded spec at most this often: opening one costs
# a locked transaction and a column introspection, and every run searches several times.
_RECHECK_SECONDS = 30.0
_stores: dict[tuple[str, str, EmbeddingSpec, int], tuple[float, PGVectorStore]] = {}
_stores_lock = threading.Lock()


def open_vector_store(
    pool: Pool,
    database_url: str,
    table: IndexTable,
    embeddings: Embeddings,
    spec: EmbeddingSpec,
) -> PGVectorStore:
    """A `PGVectorStore` over `table`, created for `spec` when missing, checked otherwise.

    Reused within the process; a rebuild by another process (another provider) is noticed at
    the next re-check, within `_RECHECK_SECONDS`.
    """
    # The embeddings object is part of the key (and kept alive by the cached store).
    key = (database_url, table.name, spec, id(embeddings))
    now = time.monotonic()
    with _stores_lock:
        cached = _stores.get(key)
    if cached is not None and now - cached[0] < _RECHECK_SECONDS:
        return cached[1]
    from langchain_postgres import PGVectorStore
    from langchain_postgres.v2.indexes import HNSWQueryOptions

    ensure_table(pool, table, spec)
    store = (
        cached[1]
        if cached is not None
        else PGVectorStore.create_sync(
            _engine(database_url),
            embeddings,
            table.name,
            metadata_columns=table.column_names,
            index_query_options=HNSWQueryOptions(ef_search=EF_SEARCH),
        )
    )
    with _stores_lock:
        _stores[key] = (now, store)
    return store


def _forget_stores(table: IndexTable) -> None:
    """Drop the process's opened stores of `table` (any database): it is being rebuilt."""
    with _stores_lock:
        for key in [k for k in _stores if k[1] == table.name]:
            del _stores[key]
