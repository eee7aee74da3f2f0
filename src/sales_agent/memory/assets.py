"""AssetHunter: the Drive files (proposals, reports, case studies) that best answer a query.

A vector search over the Drive index's chunks, reduced to one result per file (its best
chunk), optionally restricted to one asset type. Run `sales-agent index drive` first.
"""

from __future__ import annotations

from langchain_core.documents import Document
from pydantic import BaseModel, Field

from sales_agent.connectors.drive_models import AssetType
from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.drive_index import drive_store

__all__ = ["PREVIEW_CHARS", "AssetHit", "find_assets", "find_assets_near"]

PREVIEW_CHARS = 200
# Chunks fetched per wanted file at first; multiplied while long files crowd out the others.
_OVER_FETCH = 4
_MAX_FETCH = 1000


class AssetHit(BaseModel):
    """A Drive file that answers the query, with the passage that matched best."""

    file_id: str = Field(description="Drive file id: open or link the file with it.")
    file_name: str
    preview: str = Field(
        max_length=PREVIEW_CHARS, description="The start of the best matching chunk."
    )
    score: float = Field(ge=0.0, le=1.0, description="Relevance: 1 - cosine distance, in 0..1.")
    asset_type: AssetType


def find_assets(
    services: MemoryServices,
    query: str,
    *,
    asset_type: AssetType | None = None,
    limit: int = 5,
) -> list[AssetHit]:
    """The `limit` files most relevant to `query`, best first, one result per file.

    Empty when the index is (run `sales-agent index drive`) or holds no file of `asset_type`.
    """
    vector = services.embeddings.embed_query(query)
    return find_assets_near(services, vector, asset_type=asset_type, limit=limit)


def find_assets_near(
    services: MemoryServices,
    vector: list[float],
    *,
    asset_type: AssetType | None = None,
    limit: int = 5,
) -> list[AssetHit]:
    """`find_assets` for a query already embedded (one embedding serves several searches)."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    store = drive_store(services)
    where = {"asset_type": {"$eq": asset_type}} if asset_type else None
    fetch = limit * _OVER_FETCH
    while True:
        found = store.similarity_search_with_score_by_vector(vector, k=fetch, filter=where)
        best = _best_per_file(found)
        # Enough files, or the index has no more chunks to give, or the fetch is at its cap.
        if len(best) >= limit or len(found) < fetch or fetch >= _MAX_FETCH:
            break
        fetch = min(fetch * _OVER_FETCH, _MAX_FETCH)
    return sorted(best, key=lambda hit: (-hit.score, hit.file_name))[:limit]


def _best_per_file(found: list[tuple[Document, float]]) -> list[AssetHit]:
    best: dict[str, AssetHit] = {}
    for document, distance in found:
        hit = _hit(document, distance)
        if hit.file_id not in best or hit.score > best[hit.file_id].score:
            best[hit.file_id] = hit
    return list(best.values())


def _hit(document: Document, distance: float) -> AssetHit:
    metadata = document.metadata
    return AssetHit(
        file_id=metadata["file_id"],
        file_name=metadata["file_name"],
        preview=" ".join(document.page_content.split())[:PREVIEW_CHARS],
        # Cosine distance runs 0..2; opposite vectors are simply irrelevant, not negative.
        score=min(1.0, max(0.0, 1.0 - distance)),
        asset_type=metadata["asset_type"],
    )
