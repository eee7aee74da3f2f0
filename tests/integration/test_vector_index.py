"""Vector tables: created for the configured spec, refused under another, rebuilt on request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from sales_agent.config import load_settings
from sales_agent.memory.embeddings import embedding_spec, embeddings_for
from sales_agent.memory.vector_index import (
    MEMORY_MESSAGES,
    IndexMismatchError,
    drop_index,
    ensure_table,
    open_vector_store,
    recorded_spec,
)
from sales_agent.services import open_pool

HASH = load_settings(_env_file=None, embeddings="hash")
LOCAL = load_settings(_env_file=None, embeddings="local")


@pytest.fixture(scope="module")
def pool(migrated: str) -> Iterator[ConnectionPool[Connection[DictRow]]]:
    with open_pool(migrated, max_size=2) as pool:
        yield pool


def test_a_table_is_created_for_the_spec_and_searchable(
    pool: ConnectionPool[Connection[DictRow]], migrated: str
) -> None:
    store = open_vector_store(
        pool, migrated, MEMORY_MESSAGES, embeddings_for(HASH), embedding_spec(HASH)
    )
    store.add_texts(
        ["Could you send the enterprise pricing?", "Tuesday afternoon works for a call"],
        metadatas=[{"contact_email": "a@x.example"}, {"contact_email": "b@x.example"}],
        ids=["m-1", "m-2"],
    )
    store.add_texts(["Could you send the enterprise pricing?"], ids=["m-1"])  # upsert by id
    hits = store.similarity_search_with_score("enterprise pricing", k=5)
    assert hits[0][0].id == "m-1"
    assert len(hits) == 2
    only_b = store.similarity_search(
        "enterprise pricing", k=5, filter={"contact_email": "b@x.example"}
    )
    assert [doc.id for doc in only_b] == ["m-2"]
    with pool.connection() as conn:
        assert recorded_spec(conn, MEMORY_MESSAGES) == embedding_spec(HASH)
        column = conn.execute(
            "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute "
            "WHERE attrelid = 'memory_messages'::regclass AND attname = 'embedding'"
        ).fetchone()
    assert column is not None and column["type"] == "vector(256)"


def test_another_provider_is_refused_with_the_rebuild_command(
    pool: ConnectionPool[Connection[DictRow]], migrated: str
) -> None:
    with pytest.raises(IndexMismatchError, match="sales-agent index rebuild") as caught:
        open_vector_store(
            pool, migrated, MEMORY_MESSAGES, embeddings_for(LOCAL), embedding_spec(LOCAL)
        )
    assert "hash (feature-hash-v1, 256 dims)" in caught.value.message
    assert "local (all-MiniLM-L6-v2, 384 dims)" in caught.value.message


def test_dropping_lets_the_new_provider_build_its_own_table(
    pool: ConnectionPool[Connection[DictRow]],
) -> None:
    drop_index(pool, MEMORY_MESSAGES)
    with pool.connection() as conn:
        assert recorded_spec(conn, MEMORY_MESSAGES) is None
        assert conn.execute("SELECT to_regclass('memory_messages') AS t").fetchone() == {"t": None}
    ensure_table(pool, MEMORY_MESSAGES, embedding_spec(LOCAL))
    with pool.connection() as conn:
        assert recorded_spec(conn, MEMORY_MESSAGES) == embedding_spec(LOCAL)
