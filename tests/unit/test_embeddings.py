"""Embedding providers: the spec follows the provider, hash vectors are stable and lexical."""

from __future__ import annotations

import math

import pytest

from sales_agent.config import EmbeddingsProvider, load_settings
from sales_agent.memory.embeddings import HashEmbeddings, embedding_spec, embeddings_for


def _cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_default_provider_is_local_without_a_key_and_openai_with_one() -> None:
    assert load_settings(_env_file=None, openai_api_key=None).embeddings_provider == "local"
    with_key = load_settings(_env_file=None, openai_api_key="sk-test")
    assert with_key.embeddings_provider is EmbeddingsProvider.OPENAI
    explicit = load_settings(_env_file=None, openai_api_key="sk-test", embeddings="hash")
    assert explicit.embeddings_provider is EmbeddingsProvider.HASH


def test_spec_dimension_follows_the_provider() -> None:
    dims = {
        provider: embedding_spec(load_settings(_env_file=None, embeddings=provider)).dimension
        for provider in ("openai", "local", "hash")
    }
    assert dims == {"openai": 1536, "local": 384, "hash": 256}


def test_hash_vectors_are_deterministic_unit_length_and_lexical() -> None:
    embeddings = embeddings_for(load_settings(_env_file=None, embeddings="hash"))
    assert isinstance(embeddings, HashEmbeddings)
    query = embeddings.embed_query("pricing for the enterprise plan")
    again = HashEmbeddings(256).embed_query("pricing for the enterprise plan")
    assert query == again and len(query) == 256
    assert math.isclose(math.sqrt(sum(v * v for v in query)), 1.0, rel_tol=1e-9)
    near, far = embeddings.embed_documents(
        ["Our enterprise plan pricing, per seat", "Lunch on Tuesday at the usual place"]
    )
    assert _cosine(query, near) > _cosine(query, far)


def test_an_empty_text_still_has_a_valid_vector() -> None:
    vector = HashEmbeddings(16).embed_query("")
    assert math.isclose(sum(v * v for v in vector), 1.0)


def test_openai_embeddings_use_the_key_the_base_url_and_the_small_model() -> None:
    from langchain_openai import OpenAIEmbeddings

    settings = load_settings(
        _env_file=None, openai_api_key="sk-test", openai_base_url="http://127.0.0.1:9/v1"
    )
    embeddings = embeddings_for(settings)  # no network call until something is embedded
    assert isinstance(embeddings, OpenAIEmbeddings)
    assert embeddings.model == "text-embedding-3-small"
    assert embeddings.openai_api_base == "http://127.0.0.1:9/v1"


def test_a_query_asked_twice_at_once_costs_one_model_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    import time

    from sales_agent.memory import embeddings as module

    passes: list[list[str]] = []

    def slow_encode(texts: list[str]) -> list[list[float]]:
        passes.append(texts)
        time.sleep(0.05)  # long enough for the second caller to arrive meanwhile
        return [[float(len(text)), 1.0] for text in texts]

    monkeypatch.setattr(module, "_encode", slow_encode)
    monkeypatch.setattr(module, "_query_cache", module.OrderedDict())
    local = module.LocalMiniLMEmbeddings()
    results: list[list[float]] = []
    threads = [
        threading.Thread(target=lambda: results.append(local.embed_query("late deliveries")))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert passes == [["late deliveries"]] and results[0] == results[1]
    results[0].append(9.0)  # callers get copies: the remembered vector stays intact
    assert local.embed_query("late deliveries") == [15.0, 1.0]
    local.embed_query("another lead")
    assert passes[-1] == ["another lead"]
