"""`sales-agent index gmail` and `search memory` as an operator runs them: no credentials,
the sandbox started in-process, the `hash` embeddings for speed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID


def test_index_gmail_then_search_memory_then_switch_provider(cli: Any) -> None:
    empty = cli("search", "memory", "pricing")
    assert empty.returncode == 1 and "sales-agent index gmail" in empty.stderr

    indexed = cli("index", "gmail")
    assert indexed.returncode == 0, indexed.stderr
    assert "full resync" in indexed.stdout and " 0 skipped" in indexed.stdout

    again = cli("index", "gmail")
    assert again.returncode == 0, again.stderr
    assert "0 fetched, 0 indexed" in again.stdout and "incremental" in again.stdout

    found = cli(
        "search", "memory", "dispatch delays at the Leeds cross-dock",
        "--json", "--contact", SEED_LEAD_EMAIL, "--limit", "3",
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert 0 < len(hits) <= 3 and hits[0]["thread_id"] == SEED_LEAD_THREAD_ID
    assert all(hit["contact_email"] == SEED_LEAD_EMAIL for hit in hits)
    assert all(0 <= hit["relevance"] <= 1 and len(hit["preview"]) <= 150 for hit in hits)
    assert {"message_id", "sender", "timestamp", "direction"} <= hits[0].keys()

    # The index holds hash vectors: another provider must say how to fix it, not crash.
    result = cli("search", "memory", "pricing", SALES_AGENT_EMBEDDINGS="local")
    assert result.returncode == 2
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert "sales-agent index rebuild" in error
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_rebuild_re_embeds_everything_with_the_new_provider(cli: Any) -> None:
    """After the switch above: `index rebuild` under `local`, then `local` searches work."""
    rebuilt = cli("index", "rebuild", SALES_AGENT_EMBEDDINGS="local")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilt with local (all-MiniLM-L6-v2, 384 dims)" in rebuilt.stdout
    assert "full resync" in rebuilt.stdout and "0 unreadable" in rebuilt.stdout

    found = cli(
        "search", "memory", "delays dispatching orders from the cross-dock",
        "--json", "--contact", SEED_LEAD_EMAIL, SALES_AGENT_EMBEDDINGS="local",
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["thread_id"] == SEED_LEAD_THREAD_ID
    # And the old provider is now the one refused.
    old = cli("search", "memory", "pricing", SALES_AGENT_EMBEDDINGS="hash")
    assert old.returncode == 2 and "holds local (all-MiniLM-L6-v2, 384 dims)" in old.stderr
