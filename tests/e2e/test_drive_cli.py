"""`sales-agent index drive` and `search assets` as an operator runs them, on the sandbox."""

from __future__ import annotations

import json
import re
from typing import Any


def test_index_drive_then_search_assets(cli: Any) -> None:
    empty = cli("search", "assets", "pricing")
    assert empty.returncode == 1
    assert "index is empty" in empty.stderr and "sales-agent index drive" in empty.stderr

    indexed = cli("index", "drive")
    assert indexed.returncode == 0, indexed.stderr
    stats = re.search(
        r"drive: (\d+) files, (\d+) indexed, 0 skipped \(unchanged\), 0 removed, 0 unreadable; "
        r"(\d+) chunks, (\d+) embeddings computed",
        indexed.stdout,
    )
    assert stats, indexed.stdout
    files, files_indexed, chunks, embeddings = map(int, stats.groups())
    assert files == files_indexed > 20 and chunks == embeddings > files

    found = cli("search", "assets", "case study", "--type", "case_study", "--limit", "3", "--json")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert len(hits) == 3 and len({hit["file_id"] for hit in hits}) == 3
    assert all(hit["asset_type"] == "case_study" and 0 <= hit["score"] <= 1 for hit in hits)
    assert set(hits[0]) == {"file_id", "file_name", "preview", "score", "asset_type"}


def test_search_assets_refuses_an_unknown_type(cli: Any) -> None:
    result = cli("search", "assets", "pricing", "--type", "brochure")
    assert result.returncode == 2
    assert "brochure" in result.stderr and "case_study" in result.stderr
