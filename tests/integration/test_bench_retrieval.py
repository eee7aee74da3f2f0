"""The retrieval benchmark at a small scale: sane figures, live tables untouched, table dropped.

Generated and hash vectors only (no model load); the timing itself is the benchmark command's
business, never a test's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.bench.retrieval import (
    BENCH_TABLE,
    K,
    real_recall,
    retrieval_report,
    run_retrieval_bench,
)
from sales_agent.config import EmbeddingsProvider, Settings
from sales_agent.memory.embeddings import embedding_spec, embeddings_for
from sales_agent.memory.vector_index import DRIVE_CHUNKS, Pool, ensure_table
from sales_agent.services import open_pool

_LIVE_ROW = (
    "INSERT INTO drive_chunks (langchain_id, content, embedding, file_id, file_name, "
    "asset_type, chunk_index) VALUES ('live-1', 'live text', %s::vector, 'f1', 'Proposal', "
    "'proposal', 0)"
)


@pytest.fixture(scope="module")
def pool(migrated: str) -> Iterator[Pool]:
    """A pool on the module's migrated database."""
    with open_pool(migrated, max_size=2) as opened:
        yield opened


@pytest.fixture(scope="module")
def hash_settings(settings: Settings) -> Settings:
    """The module's settings with the hash provider: real-recall code without a model."""
    return settings.model_copy(update={"embeddings_provider": EmbeddingsProvider.HASH})


@pytest.fixture(scope="module")
def live_table(pool: Pool, hash_settings: Settings, module_conn: Connection[DictRow]) -> None:
    """A live `drive_chunks` table holding one row, which the benchmark must leave alone."""
    spec = embedding_spec(hash_settings)
    ensure_table(pool, DRIVE_CHUNKS, spec)
    vector = "[" + ",".join(["1"] + ["0"] * (spec.dimension - 1)) + "]"
    module_conn.execute(_LIVE_ROW, (vector,))


def _assert_bench_table_gone(conn: Connection[DictRow]) -> None:
    row = conn.execute("SELECT to_regclass(%s) AS oid", (BENCH_TABLE.name,)).fetchone()
    assert row is not None and row["oid"] is None
    spec_rows = conn.execute(
        "SELECT name FROM embedding_indexes WHERE name = %s", (BENCH_TABLE.name,)
    ).fetchall()
    assert spec_rows == []


def _assert_live_untouched(conn: Connection[DictRow]) -> None:
    rows = conn.execute("SELECT langchain_id FROM drive_chunks").fetchall()
    assert [row["langchain_id"] for row in rows] == ["live-1"]
    specs = conn.execute("SELECT name FROM embedding_indexes").fetchall()
    assert [row["name"] for row in specs] == ["drive_chunks"]


@pytest.mark.usefixtures("live_table")
def test_generated_bench_reports_sane_figures(
    pool: Pool, migrated: str, module_conn: Connection[DictRow], tmp_path: Path
) -> None:
    result = run_retrieval_bench(pool, migrated, chunks=2_000, queries=20, runs=2)

    assert result.chunks == 2_000 and result.queries == 20 and result.dimension == 384
    assert 0.0 < result.p50_ms <= result.p95_ms
    assert result.build_seconds > 0 and result.load_seconds > 0
    # At 2k clustered vectors HNSW should find nearly everything the exact scan finds.
    assert 0.8 <= result.recall_at_10 <= 1.0
    _assert_bench_table_gone(module_conn)
    _assert_live_untouched(module_conn)

    report = tmp_path / "BENCHMARKS.md"
    retrieval_report(result, command="sales-agent bench retrieval", report=report)
    text = report.read_text(encoding="utf-8")
    assert "<!-- bench:retrieval -->" in text and f"recall@{K}" in text
    assert "not measured" in text  # no real-embedding figure was taken


@pytest.mark.usefixtures("live_table")
def test_real_recall_path_with_hash_embeddings(
    pool: Pool, migrated: str, module_conn: Connection[DictRow], hash_settings: Settings
) -> None:
    texts = [f"proposal for client {i} about warehouse dispatch and picking" for i in range(60)]
    result = real_recall(
        pool,
        migrated,
        texts=texts,
        queries=["warehouse dispatch proposal", "picking for client 7"],
        embeddings=embeddings_for(hash_settings),
        spec=embedding_spec(hash_settings),
    )

    assert result.chunks == 60 and result.queries == 2
    assert 0.0 <= result.recall_at_10 <= 1.0
    _assert_bench_table_gone(module_conn)
    _assert_live_untouched(module_conn)
