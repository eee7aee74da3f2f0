"""Bulk writes to a vector table: one multi-row upsert per chunk of rows.

langchain-postgres's `add_embeddings` sends one INSERT per row, so indexing a mailbox costs a
round trip and a statement plan per message. Here a chunk of rows goes as one statement
(`INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE`): the work per row is the row
itself. Searches still go through the `PGVectorStore`; the rows are the shape it reads
(`langchain_id`, `content`, `embedding`, the table's metadata columns, `langchain_metadata`
for the keys without a column).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.memory.vector_index import IndexTable

__all__ = ["CHUNK_ROWS", "VectorRow", "upsert_rows"]

CHUNK_ROWS = 500
"""Rows per statement: large enough to amortise the round trip, small enough to stay short."""


@dataclass(frozen=True)
class VectorRow:
    """One row to store: its id, the stored text, its vector and its metadata."""

    id: str
    content: str
    embedding: Sequence[float]
    metadata: dict[str, Any]


@cache
def _upsert_sql(table: IndexTable) -> str:
    """The table's upsert: every value an array parameter, unnested into rows."""
    columns = ["langchain_id", "content", "embedding", *table.column_names, "langchain_metadata"]
    types = ["text", "text", "vector", *(sql_type for _, sql_type in table.columns), "json"]
    arrays = ", ".join(f"%s::{sql_type}[]" for sql_type in types)
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns[1:])
    return (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT (langchain_id) DO UPDATE SET {updates}"
    )


def _vector_literal(embedding: Sequence[float]) -> str:
    return "[" + ",".join(repr(float(value)) for value in embedding) + "]"


def upsert_rows(conn: Connection[DictRow], table: IndexTable, rows: Sequence[VectorRow]) -> int:
    """Insert or replace `rows` in `table`, `CHUNK_ROWS` per statement; return how many.

    Runs on the caller's connection, so the caller decides what else shares the transaction.
    """
    sql = _upsert_sql(table)
    names = set(table.column_names)
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        params: list[list[Any]] = [
            [row.id for row in chunk],
            [row.content for row in chunk],
            # As text: pgvector casts '[1,2,3]' to a vector, with no adapter to register.
            [_vector_literal(row.embedding) for row in chunk],
            *(
                [_column_value(row.metadata.get(name)) for row in chunk]
                for name in table.column_names
            ),
            [
                json.dumps({k: v for k, v in row.metadata.items() if k not in names}, default=str)
                for row in chunk
            ],
        ]
        conn.execute(sql, params)
    return len(rows)


def _column_value(value: Any) -> Any:
    # Text arrays cast to each column's type in SQL; a None stays a NULL.
    return None if value is None else str(value)
