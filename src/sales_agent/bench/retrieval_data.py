"""What the retrieval benchmark searches: generated vectors for scale, sandbox texts for recall.

Embedding 100k chunks with the local model would take most of an hour on a 2-core machine
(about 35 chunks per second), so scale is measured on generated vectors and recall with real
embeddings on the sandbox workspace's own texts, chunked as indexing chunks them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sales_agent.config import load_settings
from sales_agent.connectors import build_connectors
from sales_agent.memory.chunking import chunk_text
from sales_agent.memory.voice.corpus import sandbox_mailbox
from sales_agent.sandbox import SandboxServer

__all__ = ["GeneratedSet", "SandboxTexts", "generate_vectors", "sandbox_texts"]

Vectors = NDArray[np.float32]

_CENTRES_MAX = 300
_CHUNKS_PER_CENTRE = 50
# Per-dimension noise around a centre. At 384 dimensions a spread of 0.03-0.08 puts a chunk
# at a cosine of about 0.85-0.55 from its centre and two chunks of one topic at about 0.7-0.3,
# the range sentence embeddings of related passages fall in.
_SPREAD = (0.03, 0.08)


@dataclass(frozen=True)
class GeneratedSet:
    """Unit vectors of chunks and of queries, drawn around the same topic centres."""

    chunks: Vectors
    queries: Vectors
    centres: int


def _unit(rows: NDArray[np.float64]) -> Vectors:
    norms: NDArray[np.float64] = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / norms).astype(np.float32)


def generate_vectors(chunks: int, queries: int, *, dimension: int, seed: int) -> GeneratedSet:
    """`chunks` and `queries` unit vectors clustered around a few hundred random centres.

    Real embeddings cluster by topic (a proposal's chunks sit near each other), with topics of
    unequal size and tightness. Uniform random vectors would be an unrealistic worst case for
    HNSW: every point is about equally far from every other, so the graph's neighbour links
    carry no structure and recall collapses in a way no real corpus shows. Queries are drawn
    the same way but are never one of the chunks, as a real question is not a stored passage.
    """
    rng = np.random.default_rng(seed)
    centres = max(1, min(_CENTRES_MAX, chunks // _CHUNKS_PER_CENTRE))
    centre_vectors = _unit(rng.standard_normal((centres, dimension)))
    # Log-normal topic sizes: a few large topics (many proposals of one kind), a long tail.
    weights = rng.lognormal(0.0, 1.0, centres)
    weights /= weights.sum()
    spread = rng.uniform(*_SPREAD, centres)

    def draw(count: int) -> Vectors:
        topic = rng.choice(centres, size=count, p=weights)
        noise = rng.standard_normal((count, dimension)) * spread[topic, None]
        return _unit(centre_vectors[topic] + noise)

    return GeneratedSet(chunks=draw(chunks), queries=draw(queries), centres=centres)


@dataclass(frozen=True)
class SandboxTexts:
    """The sandbox workspace's chunks, and short queries about them (the email subjects)."""

    chunks: list[str]
    queries: list[str]


def sandbox_texts(*, limit: int) -> SandboxTexts:
    """The operator's Gmail messages and allowlisted Drive documents, chunked; at most `limit`.

    Read through the product's connectors from an in-process sandbox (never a real account,
    whatever credentials are configured), so the texts are what indexing would embed.
    """
    settings = load_settings(
        sandbox_url=None,
        hubspot_access_token=None,
        google_client_id=None,
        google_client_secret=None,
        google_refresh_token=None,
        _env_file=None,
    )
    chunks: list[str] = []
    subjects: dict[str, None] = {}  # ordered and unique: a thread repeats its subject
    with SandboxServer() as sandbox:
        drive = build_connectors(settings, sandbox.url).drive
        for file in drive.list_files():
            chunks.extend(chunk_text(drive.read_text(file.id)))
        gmail = sandbox_mailbox(sandbox.url, "me")
        token: str | None = None
        while len(chunks) < limit:
            page = gmail.list_messages(page_token=token, max_results=100)
            for ref in page.messages:
                message = gmail.get_message(ref.id)
                chunks.extend(chunk_text(message.body_text))
                subject = message.subject.removeprefix("Re: ").strip()
                if subject:
                    subjects[subject] = None
            token = page.next_page_token
            if not token:
                break
    return SandboxTexts(chunks=chunks[:limit], queries=list(subjects))
