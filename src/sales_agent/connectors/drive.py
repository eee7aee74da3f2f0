"""Drive connector: list and read the allowlisted folders' files, and nothing else.

The allowlist is enforced on every call, against the live folder names: a listing asks only
for the allowed folders' children (and drops anything else the server returns), and a read
first checks the file's parent. Text comes from Docs (export to text/plain), PDFs (download,
then pypdf) and Sheets (export to text/csv, header and first rows).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from googleapiclient.http import HttpRequest

from sales_agent.connectors.drive_models import (
    DriveAllowlist,
    DriveFile,
    DriveFolder,
    infer_asset_type,
)
from sales_agent.connectors.google_api import GoogleService, execute
from sales_agent.connectors.retry import DEFAULT_RETRY, RetryPolicy
from sales_agent.errors import ConnectorError

__all__ = ["FOLDER", "DriveAccessError", "DriveClient"]

_SERVICE = "drive"
FOLDER = "application/vnd.google-apps.folder"
_DOCUMENT = "application/vnd.google-apps.document"
_SPREADSHEET = "application/vnd.google-apps.spreadsheet"
_PDF = "application/pdf"
_FILE_FIELDS = "id, name, mimeType, modifiedTime, parents, webViewLink, size, trashed"
_PAGE_SIZE = 100
# Works the same in My Drive and lets an allowlisted folder live in a shared drive.
_ALL_DRIVES = {"supportsAllDrives": True}


class DriveAccessError(ConnectorError):
    """A file outside the allowlisted folders (or in the trash) was asked for."""

    code = "drive_not_allowed"


def _quote(value: str) -> str:
    """Escape a value for a single-quoted Drive query string."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


class DriveClient:
    """The allowlisted part of a Drive, through the Drive v3 API."""

    def __init__(
        self,
        service: GoogleService,
        *,
        allowlist: DriveAllowlist,
        sheet_rows: int = 20,
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        self._service = service
        self._allowlist = allowlist
        self._sheet_rows = sheet_rows
        self._retry = retry

    def allowed_folders(self) -> list[DriveFolder]:
        """The root's sub-folders the prefixes admit, then the extra folder if configured."""
        root = _quote(self._allowlist.root_folder_id)
        query = f"'{root}' in parents and mimeType = '{FOLDER}' and trashed = false"
        folders = [
            DriveFolder(id=raw["id"], name=raw["name"], web_view_link=raw.get("webViewLink"))
            for raw in self._pages(query, "id, name, webViewLink", order_by="name")
            if self._allowlist.admits(raw["name"])
        ]
        extra = self._allowlist.extra_folder_id
        if extra and all(folder.id != extra for folder in folders):
            folders.append(self._extra_folder(extra))
        return folders

    def list_files(
        self,
        modified_after: datetime | None = None,
        mime_types: Sequence[str] | None = None,
        name_contains: str | None = None,
    ) -> list[DriveFile]:
        """Files (not folders, not trashed) directly inside the allowed folders, newest first.

        `name_contains` matches the start of a word in the name, as Drive's search does.
        """
        folders = {folder.id: folder for folder in self.allowed_folders()}
        if not folders:
            return []
        parents = " or ".join(f"'{_quote(folder_id)}' in parents" for folder_id in folders)
        clauses = [f"({parents})", "trashed = false", f"mimeType != '{FOLDER}'"]
        if mime_types:
            kinds = " or ".join(f"mimeType = '{_quote(kind)}'" for kind in mime_types)
            clauses.append(f"({kinds})")
        if name_contains:
            clauses.append(f"name contains '{_quote(name_contains)}'")
        if modified_after is not None:
            if modified_after.tzinfo is None:
                raise ValueError(f"modified_after must be timezone-aware, got {modified_after}")
            moment = modified_after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            clauses.append(f"modifiedTime > '{moment}'")
        files = []
        for raw in self._pages(" and ".join(clauses), _FILE_FIELDS, order_by="modifiedTime desc"):
            # Belt and braces: whatever the server returns, only allowed parents get through.
            parent = next((p for p in raw.get("parents", []) if p in folders), None)
            if parent is not None and not raw.get("trashed", False):
                files.append(self._file(raw, folders[parent]))
        return files

    def get_file(self, file_id: str) -> DriveFile:
        """One file's metadata; `DriveAccessError` unless it sits in an allowed folder."""
        request = self._service.files().get(fileId=file_id, fields=_FILE_FIELDS, **_ALL_DRIVES)
        raw = execute(_SERVICE, request, retry=self._retry)
        folders = {folder.id: folder for folder in self.allowed_folders()}
        parent = next((p for p in raw.get("parents", []) if p in folders), None)
        if parent is None:
            raise DriveAccessError(
                _SERVICE,
                f"file {file_id} is not in an allowlisted folder, so it may not be read; "
                "allowed: " + ", ".join(sorted(f.name for f in folders.values())),
                status=403,
            )
        if raw.get("trashed", False):
            message = f"file {file_id} is in the trash; restore it in Drive to read it"
            raise DriveAccessError(_SERVICE, message, status=403)
        return self._file(raw, folders[parent])

    def read_text(self, file_id: str) -> str:
        """The file's text: a Doc's text, a PDF's extracted text, a Sheet's header and rows."""
        file = self.get_file(file_id)  # enforces the allowlist before any content moves
        if file.mime_type == _DOCUMENT:
            return self._export(file_id, "text/plain").decode("utf-8-sig").replace("\r\n", "\n")
        if file.mime_type == _SPREADSHEET:
            return self._sheet_text(self._export(file_id, "text/csv").decode("utf-8-sig"))
        if file.mime_type == _PDF:
            return _pdf_text(file_id, self._download(file_id))
        if file.mime_type.startswith("text/"):
            return self._download(file_id).decode("utf-8", errors="replace")
        raise ConnectorError(
            _SERVICE, f"cannot read {file.mime_type} files as text ({file.name}, {file_id})"
        )

    def _pages(self, query: str, file_fields: str, *, order_by: str) -> Iterator[dict[str, Any]]:
        token: str | None = None
        while True:
            request = self._service.files().list(
                q=query,
                fields=f"nextPageToken, files({file_fields})",
                pageSize=_PAGE_SIZE,
                orderBy=order_by,
                pageToken=token,
                includeItemsFromAllDrives=True,
                **_ALL_DRIVES,
            )
            page = execute(_SERVICE, request, retry=self._retry)
            yield from page.get("files", [])
            token = page.get("nextPageToken")
            if not token:
                return

    def _extra_folder(self, folder_id: str) -> DriveFolder:
        request = self._service.files().get(
            fileId=folder_id, fields="id, name, mimeType, trashed, webViewLink", **_ALL_DRIVES
        )
        try:
            raw = execute(_SERVICE, request, retry=self._retry)
        except ConnectorError as error:
            if error.status != 404:
                raise
            raise ConnectorError(
                _SERVICE,
                f"the extra folder {folder_id} does not exist or is not shared with this account; "
                "check SALES_AGENT_DRIVE_EXTRA_FOLDER_ID",
                status=404,
            ) from error
        if raw.get("mimeType") != FOLDER or raw.get("trashed", False):
            raise ConnectorError(
                _SERVICE,
                f"SALES_AGENT_DRIVE_EXTRA_FOLDER_ID {folder_id} is not a folder in use "
                f"({raw.get('mimeType')}, trashed={raw.get('trashed', False)})",
            )
        return DriveFolder(id=raw["id"], name=raw["name"], web_view_link=raw.get("webViewLink"))

    def _file(self, raw: dict[str, Any], folder: DriveFolder) -> DriveFile:
        return DriveFile(
            id=raw["id"],
            name=raw["name"],
            mime_type=raw["mimeType"],
            modified_time=datetime.fromisoformat(raw["modifiedTime"]).astimezone(UTC),
            folder_id=folder.id,
            folder_name=folder.name,
            web_view_link=raw.get("webViewLink"),
            size=int(raw["size"]) if "size" in raw else None,
            asset_type=infer_asset_type(folder.name, raw["name"]),
        )

    def _export(self, file_id: str, mime_type: str) -> bytes:
        return self._bytes(self._service.files().export(fileId=file_id, mimeType=mime_type))

    def _download(self, file_id: str) -> bytes:
        return self._bytes(self._service.files().get_media(fileId=file_id, **_ALL_DRIVES))

    def _bytes(self, request: HttpRequest) -> bytes:
        # For media methods googleapiclient returns the raw body, not the JSON `execute` is
        # typed for; check rather than trust.
        body: Any = execute(_SERVICE, request, retry=self._retry)
        if not isinstance(body, bytes):
            raise ConnectorError(_SERVICE, "expected file content, got a JSON answer")
        return body

    def _sheet_text(self, exported: str) -> str:
        rows = list(csv.reader(io.StringIO(exported)))
        shown = rows[: self._sheet_rows + 1]  # the header, then the first rows
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(shown)
        if len(rows) > len(shown):
            buffer.write(f"[{len(rows) - len(shown)} more rows not shown]\n")
        return buffer.getvalue()


def _pdf_text(file_id: str, content: bytes) -> str:
    # pypdf is imported when a PDF is read (Drive indexing), not by every process that
    # imports the connectors.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = PdfReader(io.BytesIO(content)).pages
        return "\n\n".join(page.extract_text() for page in pages).strip()
    except PdfReadError as error:
        raise ConnectorError(_SERVICE, f"PDF {file_id} could not be read: {error}") from error
