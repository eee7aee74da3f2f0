"""The sandbox's Drive v3 surface through googleapiclient: the tree, `q`, `fields`, paging,
ordering, `alt=media` and export, and Drive's own errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from googleapiclient.errors import HttpError

from sales_agent.connectors.google_api import (
    GoogleService,
    anonymous_credentials,
    build_google_service,
    sandbox_endpoint,
)
from sales_agent.sandbox import SandboxServer

FOLDER = "application/vnd.google-apps.folder"
DOC = "application/vnd.google-apps.document"
SHEET = "application/vnd.google-apps.spreadsheet"
PDF = "application/pdf"
FOLDERS = {
    "CHAINge Proposals",
    "CP Client Reports",
    "CP Proposals",
    "Manifest 2026",
    "CP Closed 2024",
    "Team Social",
    "Dana - Personal",
}
LISTED = "nextPageToken, files(id, name, mimeType, modifiedTime, parents, webViewLink, size)"


@pytest.fixture(scope="module")
def files(sandbox: SandboxServer) -> Any:
    endpoint = sandbox_endpoint(sandbox.url, "drive", "v3")
    service = build_google_service(
        "drive", "v3", credentials=anonymous_credentials(), api_endpoint=endpoint
    )
    return service.files()


def _run(request: Any) -> Any:
    return request.execute(num_retries=0)


def _all(files: GoogleService, q: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    token = None
    while True:
        page = _run(files.list(q=q, pageToken=token, fields=LISTED, **params))
        found += page["files"]
        token = page.get("nextPageToken")
        if token is None:
            return found


def _names(files: GoogleService, q: str, **params: Any) -> list[str]:
    return [item["name"] for item in _all(files, q, **params)]


def _error(excinfo: pytest.ExceptionInfo[HttpError]) -> tuple[int, str]:
    error = excinfo.value
    return int(error.resp.status), error.error_details[0]["reason"]


def _id(files: GoogleService, name: str) -> str:
    (item,) = _all(files, f"name = '{name}'")
    return str(item["id"])


def test_the_root_holds_the_seven_folders(files: GoogleService) -> None:
    root = _run(files.get(fileId="root", fields="id, name, mimeType"))
    by_alias = _names(files, f"'root' in parents and mimeType = '{FOLDER}'")
    by_id = _names(files, f"'{root['id']}' in parents and mimeType = '{FOLDER}'")

    assert root["name"] == "My Drive" and root["mimeType"] == FOLDER
    assert root["id"].startswith("0A") and root["id"] != "root"
    assert set(by_alias) == set(by_id) == FOLDERS


def test_at_least_forty_files_mixing_docs_pdfs_and_sheets(files: GoogleService) -> None:
    everything = _all(files, f"mimeType != '{FOLDER}'")
    kinds = [item["mimeType"] for item in everything]

    assert len(everything) >= 40
    assert {kind: kinds.count(kind) >= 8 for kind in (DOC, PDF, SHEET)} == {
        DOC: True,
        PDF: True,
        SHEET: True,
    }
    assert set(kinds) <= {DOC, PDF, SHEET}


def test_q_combines_parents_types_trash_names_and_dates(files: GoogleService) -> None:
    proposals = _id(files, "CHAINge Proposals")
    in_folder = _names(files, f"'{proposals}' in parents")
    kept = _names(files, f"'{proposals}' in parents and trashed = false")
    sheets_or_pdfs = _all(
        files, f"'{proposals}' in parents and (mimeType = '{SHEET}' or mimeType = '{PDF}')"
    )
    not_docs = _all(files, f"'{proposals}' in parents and not mimeType = '{DOC}'")

    assert "OLD - Kestrel Robotics proposal v1" in in_folder
    assert set(in_folder) - set(kept) == {"OLD - Kestrel Robotics proposal v1"}
    assert {item["mimeType"] for item in sheets_or_pdfs} == {SHEET, PDF}
    assert {item["id"] for item in not_docs} == {item["id"] for item in sheets_or_pdfs}

    cutoff = datetime.now(UTC) - timedelta(days=30)
    stamp = cutoff.strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = _all(files, f"modifiedTime > '{stamp}' and mimeType != '{FOLDER}'")
    older = _all(files, f"modifiedTime <= '{stamp}' and mimeType != '{FOLDER}'")
    assert recent and older
    assert all(datetime.fromisoformat(item["modifiedTime"]) > cutoff for item in recent)
    assert all(datetime.fromisoformat(item["modifiedTime"]) <= cutoff for item in older)


def test_name_contains_matches_word_starts_like_drive(files: GoogleService) -> None:
    halden = _names(files, "name contains 'halden'")
    quoted = _names(files, "name contains 'Söhne'")

    assert "Halden Foods - Q3 Operations Report" in halden
    assert all("halden" in name.casefold() for name in halden)
    assert _names(files, "name contains 'alden'") == []  # not the start of a word
    assert quoted == ["Müller & Söhne Maschinenbau - Changeovers and WIP Proposal"]
    assert _names(files, r"name contains 'Dana\'s'") == []  # an escaped quote parses


def test_owners_and_me(files: GoogleService) -> None:
    mine = _all(files, f"'me' in owners and mimeType != '{FOLDER}'")
    tomas = _all(files, f"'tomas@chaingepartners.example' in owners and mimeType != '{FOLDER}'")

    assert mine and tomas
    assert not {item["id"] for item in mine} & {item["id"] for item in tomas}


@pytest.mark.parametrize(
    "query",
    ["name contanz 'x'", "name contains", "(trashed = false", "trashed = 'no'", "size > '3'"],
)
def test_a_bad_query_is_drives_400(files: GoogleService, query: str) -> None:
    with pytest.raises(HttpError) as excinfo:
        _run(files.list(q=query))
    assert _error(excinfo) == (400, "invalid")


def test_fields_trim_the_answer(files: GoogleService) -> None:
    default = _run(files.list(q=f"mimeType = '{PDF}'", pageSize=2))
    listed = _run(files.list(q=f"mimeType = '{PDF}' or mimeType = '{DOC}'", fields=LISTED))
    slashed = _run(files.list(q=f"mimeType = '{PDF}'", fields="files/id"))

    assert set(default) == {"kind", "incompleteSearch", "files", "nextPageToken"}
    assert {tuple(sorted(item)) for item in default["files"]} == {
        ("id", "kind", "mimeType", "name")
    }
    for item in listed["files"]:
        assert set(item) <= {"id", "name", "mimeType", "modifiedTime", "parents"} | {
            "webViewLink",
            "size",
        }
        assert ("size" in item) == (item["mimeType"] == PDF)
        assert item["webViewLink"].startswith("https://")
    assert all(set(item) == {"id"} for item in slashed["files"])
    assert set(slashed) == {"files"}

    with pytest.raises(HttpError) as excinfo:
        _run(files.list(fields="nothing, files(id)"))
    assert _error(excinfo) == (400, "invalidParameter")


def test_get_honours_fields(files: GoogleService) -> None:
    report_id = _id(files, "Halden Foods - Q3 Operations Report")

    assert set(_run(files.get(fileId=report_id))) == {"kind", "id", "name", "mimeType"}
    partial = _run(files.get(fileId=report_id, fields="id, owners(emailAddress), parents"))
    assert set(partial) == {"id", "owners", "parents"}
    assert partial["owners"] == [{"emailAddress": "tomas@chaingepartners.example"}]
    full = _run(files.get(fileId=report_id, fields="*"))
    assert full["exportLinks"]["text/plain"].startswith("https://docs.google.com/")


def test_paging_walks_every_file_once(files: GoogleService) -> None:
    query = f"mimeType != '{FOLDER}'"
    whole = [item["id"] for item in _all(files, query, pageSize=1000)]
    paged = [item["id"] for item in _all(files, query, pageSize=7)]

    assert paged == whole
    assert len(set(paged)) == len(paged) > 7
    with pytest.raises(HttpError) as excinfo:
        _run(files.list(pageToken="not-a-token"))
    assert _error(excinfo)[0] == 400
    with pytest.raises(HttpError) as excinfo:
        _run(files.list(pageSize=0))
    assert _error(excinfo)[0] == 400


def test_order_by_name_and_modified_time(files: GoogleService) -> None:
    query = f"mimeType != '{FOLDER}'"
    by_name = _names(files, query, orderBy="name")
    newest = _all(files, query, orderBy="modifiedTime desc")
    folders_first = _all(files, "trashed = false", orderBy="folder,name")

    assert by_name == sorted(by_name, key=str.casefold)
    stamps = [item["modifiedTime"] for item in newest]
    assert stamps == sorted(stamps, reverse=True)
    kinds = [item["mimeType"] == FOLDER for item in folders_first]
    assert kinds == sorted(kinds, reverse=True)
    with pytest.raises(HttpError) as excinfo:
        _run(files.list(orderBy="size desc"))
    assert _error(excinfo) == (400, "invalid")


def test_alt_media_gives_a_pdfs_bytes(sandbox: SandboxServer, files: GoogleService) -> None:
    pdf_id = _id(files, "Halden Foods - Q2 Board Summary.pdf")
    size = int(_run(files.get(fileId=pdf_id, fields="size"))["size"])

    content = _run(files.get_media(fileId=pdf_id))
    raw = httpx.get(f"{sandbox.url}/drive/v3/files/{pdf_id}", params={"alt": "media"})

    assert content.startswith(b"%PDF-") and len(content) == size
    assert raw.headers["content-type"] == PDF and raw.content == content


def test_alt_media_refuses_docs_editors_files(files: GoogleService) -> None:
    for name in ("Halden Foods - Q3 Operations Report", "Halden Foods - KPI tracker"):
        with pytest.raises(HttpError) as excinfo:
            _run(files.get_media(fileId=_id(files, name)))
        assert _error(excinfo) == (403, "fileNotDownloadable")


def test_export_docs_as_text_and_sheets_as_csv(files: GoogleService) -> None:
    doc = _run(
        files.export(fileId=_id(files, "Manifest 2026 - How we work"), mimeType="text/plain")
    )
    sheet = _run(files.export(fileId=_id(files, "Five-a-side rota"), mimeType="text/csv"))

    # Drive's text export starts with a byte-order mark and ends lines with CRLF.
    assert doc.startswith("\ufeffManifest 2026 - How we work\r\n".encode())
    assert sheet.decode().splitlines()[0] == "Week,Bibs,Ball,Booking"


def test_export_refuses_what_drive_refuses(sandbox: SandboxServer, files: GoogleService) -> None:
    doc_id = _id(files, "Manifest 2026 - How we work")
    with pytest.raises(HttpError) as excinfo:
        _run(files.export(fileId=doc_id, mimeType="text/csv"))
    assert _error(excinfo) == (400, "badRequest")
    with pytest.raises(HttpError) as excinfo:
        _run(files.export(fileId=_id(files, "Mortgage offer.pdf"), mimeType="text/plain"))
    assert _error(excinfo) == (403, "fileNotExportable")
    missing = httpx.get(f"{sandbox.url}/drive/v3/files/{doc_id}/export")
    assert missing.status_code == 400
    assert missing.json()["error"]["errors"][0]["reason"] == "required"


def test_an_unknown_file_is_drives_404(files: GoogleService) -> None:
    for request in (
        files.get(fileId="1nope"),
        files.get_media(fileId="1nope"),
        files.export(fileId="1nope", mimeType="text/plain"),
    ):
        with pytest.raises(HttpError) as excinfo:
            _run(request)
        assert _error(excinfo) == (404, "notFound")
        assert "File not found: 1nope." in str(excinfo.value)
