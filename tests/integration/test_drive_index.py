"""Drive indexing and AssetHunter against the sandbox Drive over HTTP and the embedded Postgres.

The module owns its sandbox, so a test can change a file in the workspace the way a person
editing it in Drive would (new text, newer modifiedTime) or move it to the trash.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from sales_agent.config import Settings
from sales_agent.memory.assets import PREVIEW_CHARS, find_assets
from sales_agent.memory.drive_index import (
    INDEXED_MIME_TYPES,
    DriveIndexStats,
    index_drive,
    indexed_file_count,
)
from sales_agent.memory.vector_index import DRIVE_CHUNKS, drop_index
from sales_agent.sandbox import SandboxServer
from sales_agent.services import Services, open_services

OFF_LIMITS = ["CP Closed 2024", "Team Social", "Dana - Personal"]
CHANGED = "Brightwater Health - Patient flow Proposal"
TRASHED = "Northwind Logistics - call prep notes"


@pytest.fixture(scope="module")
def services(settings: Settings, sandbox: SandboxServer) -> Iterator[Services]:
    """The module's services on the module's own sandbox (which the tests edit)."""
    with open_services(settings.model_copy(update={"sandbox_url": sandbox.url})) as opened:
        yield opened


@pytest.fixture(scope="module")
def first_run(services: Services) -> tuple[DriveIndexStats, list[tuple[int, int, str]]]:
    calls: list[tuple[int, int, str]] = []
    stats = index_drive(services, on_progress=lambda *call: calls.append(call), batch_size=16)
    return stats, calls


def _item_id(sandbox: SandboxServer, name: str) -> str:
    (item,) = [i for i in sandbox.workspace.drive.listable() if i.name == name]
    return item.id


def _chunks(services: Services, file_id: str | None = None) -> list[dict[str, object]]:
    query = f"SELECT langchain_id, file_id, content, chunk_index FROM {DRIVE_CHUNKS.name}"
    with services.pool.connection() as conn:
        if file_id is None:
            return list(conn.execute(query))
        return list(conn.execute(query + " WHERE file_id = %s ORDER BY chunk_index", (file_id,)))


def _edit(sandbox: SandboxServer, name: str, **changes: Any) -> None:
    """Change a Drive file in place, as an edit in Drive would (between requests only)."""
    items = sandbox.workspace.drive.items
    file_id = _item_id(sandbox, name)
    items[file_id] = dataclasses.replace(items[file_id], **changes)


def test_first_run_indexes_every_allowlisted_doc_pdf_and_sheet(
    services: Services, first_run: tuple[DriveIndexStats, list[tuple[int, int, str]]]
) -> None:
    stats, calls = first_run
    allowlisted = services.connectors.drive.list_files(mime_types=INDEXED_MIME_TYPES)
    assert stats.files_seen == len(allowlisted) > 20
    assert (stats.files_indexed, stats.files_failed, stats.files_skipped) == (
        len(allowlisted),
        0,
        0,
    )
    assert stats.embeddings == stats.chunks == len(_chunks(services)) > stats.files_seen
    assert {row["file_id"] for row in _chunks(services)} == {file.id for file in allowlisted}
    assert indexed_file_count(services) == len(allowlisted)
    # One progress call per file, ending at files seen of files seen.
    assert len(calls) == stats.files_seen and calls[-1][:2] == (stats.files_seen, stats.files_seen)


def test_nothing_outside_the_allowlist_is_indexed(
    services: Services, sandbox: SandboxServer, first_run: object
) -> None:
    drive = sandbox.workspace.drive
    off_limits = {_item_id(sandbox, folder) for folder in OFF_LIMITS} | {drive.root.id}
    forbidden = {item.id for item in drive.listable() if set(item.parents) & off_limits}
    assert len(forbidden) > 10
    assert not forbidden & {row["file_id"] for row in _chunks(services)}
    for row in _chunks(services):
        assert "Mortgage" not in str(row["content"]) and "margins" not in str(row["content"])


def test_an_unchanged_drive_is_not_re_embedded(services: Services, first_run: object) -> None:
    stats = index_drive(services)
    assert (stats.files_indexed, stats.embeddings, stats.chunks) == (0, 0, 0)
    assert stats.files_skipped == stats.files_seen


def test_find_assets_gives_one_result_per_file_best_first(
    services: Services, first_run: object
) -> None:
    hits = find_assets(services, "dispatch and route planning proposal", limit=8)
    assert len(hits) == 8
    assert len({hit.file_id for hit in hits}) == 8
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(0 < len(hit.preview) <= PREVIEW_CHARS for hit in hits)
    assert "Dispatch and route planning Proposal" in hits[0].file_name


def test_find_assets_filters_by_asset_type(services: Services, first_run: object) -> None:
    for asset_type in ("case_study", "report", "proposal"):
        hits = find_assets(services, "changeover time", asset_type=asset_type, limit=3)
        assert hits and all(hit.asset_type == asset_type for hit in hits)
    studies = find_assets(services, "case study", asset_type="case_study", limit=10)
    assert {hit.file_name for hit in studies} >= {
        "Case study: Halden Foods waste reduction",
        "Case study: Arkwright Textiles changeover time halved",
    }


def test_a_pricing_question_finds_the_pricing_sheet(services: Services, first_run: object) -> None:
    hits = find_assets(services, "what are your day rates and pricing packages?", limit=3)
    assert hits[0].file_name == "Pricing 2026 - day rates and packages"
    assert hits[0].asset_type == "proposal"
    assert "Day rate" in hits[0].preview


def test_a_changed_file_alone_is_re_embedded_and_loses_its_old_chunks(
    services: Services, sandbox: SandboxServer, first_run: object
) -> None:
    file_id = _item_id(sandbox, CHANGED)
    assert len(_chunks(services, file_id)) >= 2
    before = sandbox.workspace.drive.get(file_id).modified
    _edit(
        sandbox,
        CHANGED,
        text="Rewritten: a two-week flow diagnostic.",
        modified=before + timedelta(hours=1),
    )

    stats = index_drive(services)

    assert (stats.files_indexed, stats.chunks, stats.embeddings) == (1, 1, 1)
    assert stats.files_skipped == stats.files_seen - 1
    (only,) = _chunks(services, file_id)  # the old second chunk is gone too
    assert (only["langchain_id"], only["content"]) == (
        f"{file_id}:0",
        "Rewritten: a two-week flow diagnostic.",
    )
    hits = find_assets(services, "two-week flow diagnostic", limit=1)
    assert hits[0].file_id == file_id


def test_a_file_gone_from_drive_leaves_the_index(
    services: Services, sandbox: SandboxServer, first_run: object
) -> None:
    file_id = _item_id(sandbox, TRASHED)
    assert _chunks(services, file_id)
    _edit(sandbox, TRASHED, trashed=True)

    stats = index_drive(services)

    assert (stats.files_removed, stats.files_indexed) == (1, 0)
    assert not _chunks(services, file_id)
    with services.pool.connection() as conn:
        row = conn.execute("SELECT 1 FROM drive_index_files WHERE file_id = %s", (file_id,))
        assert row.fetchone() is None


def test_a_rebuilt_table_is_filled_again_not_skipped(services: Services, first_run: object) -> None:
    # `index rebuild` drops the table; the file records alone must not make the run skip.
    drop_index(services.pool, DRIVE_CHUNKS)
    assert find_assets(services, "proposal") == []

    stats = index_drive(services)

    assert stats.files_indexed == stats.files_seen and stats.files_skipped == 0
    assert len(find_assets(services, "proposal", limit=3)) == 3
