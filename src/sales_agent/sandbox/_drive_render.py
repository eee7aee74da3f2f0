"""Drive v3 File resources and the bytes behind `alt=media` and files.export."""

from __future__ import annotations

import csv
import hashlib
import html
import io
from collections.abc import Callable
from typing import Any

from sales_agent.sandbox._drive_store import DOCUMENT, FOLDER, SPREADSHEET, DriveItem
from sales_agent.sandbox._errors import InvalidRequestError, PermissionDeniedError
from sales_agent.sandbox._formats import utc_timestamp

__all__ = ["download", "export", "render_file"]


def _plain(item: DriveItem) -> bytes:
    # Drive's text/plain export starts with a byte-order mark and ends lines with CRLF.
    text = (item.text or "").replace("\r\n", "\n").replace("\n", "\r\n")
    return ("\ufeff" + text).encode()


def _html(item: DriveItem) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in (item.text or "").splitlines())
    title = html.escape(item.name)
    return f"<html><head><title>{title}</title></head><body>{paragraphs}</body></html>".encode()


def _table(delimiter: str) -> Callable[[DriveItem], bytes]:
    def render(item: DriveItem) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(item.rows or ())
        return buffer.getvalue().encode()

    return render


# What each Docs Editors type exports to, and its exportLinks format name.
_EXPORTS: dict[str, dict[str, tuple[str, Callable[[DriveItem], bytes]]]] = {
    DOCUMENT: {"text/plain": ("txt", _plain), "text/html": ("html", _html)},
    SPREADSHEET: {
        "text/csv": ("csv", _table(",")),
        "text/tab-separated-values": ("tsv", _table("\t")),
    },
}


def export(item: DriveItem, mime_type: str) -> bytes:
    """files.export: the Docs Editors file converted to `mime_type`."""
    if not item.is_google_type or item.mime_type == FOLDER:
        raise PermissionDeniedError(
            "Export only supports Docs Editors files.", reason="fileNotExportable"
        )
    formats = _EXPORTS.get(item.mime_type, {})
    if mime_type not in formats:
        raise InvalidRequestError("The requested conversion is not supported.", reason="badRequest")
    return formats[mime_type][1](item)


def download(item: DriveItem) -> bytes:
    """files.get with alt=media: the stored bytes; Docs Editors files have none."""
    if item.content is None:
        raise PermissionDeniedError(
            "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
            reason="fileNotDownloadable",
        )
    return item.content


def _web_view_link(item: DriveItem) -> str:
    if item.mime_type == FOLDER:
        return f"https://drive.google.com/drive/folders/{item.id}"
    if item.mime_type == DOCUMENT:
        return f"https://docs.google.com/document/d/{item.id}/edit?usp=drivesdk"
    if item.mime_type == SPREADSHEET:
        return f"https://docs.google.com/spreadsheets/d/{item.id}/edit?usp=drivesdk"
    return f"https://drive.google.com/file/d/{item.id}/view?usp=drivesdk"


def _export_links(item: DriveItem) -> dict[str, str]:
    kind = "documents" if item.mime_type == DOCUMENT else "spreadsheets"
    return {
        mime_type: f"https://docs.google.com/feeds/download/{kind}/export/Export"
        f"?id={item.id}&exportFormat={name}"
        for mime_type, (name, _) in _EXPORTS.get(item.mime_type, {}).items()
    }


def render_file(item: DriveItem, *, me: str) -> dict[str, Any]:
    """The whole File resource; `me` is the caller, for `owners[].me` and `ownedByMe`."""
    owner = {
        "kind": "drive#user",
        "displayName": item.owner.name,
        "emailAddress": item.owner.email,
        "me": item.owner.email == me,
        "permissionId": item.owner.permission_id,
    }
    resource: dict[str, Any] = {
        "kind": "drive#file",
        "id": item.id,
        "name": item.name,
        "mimeType": item.mime_type,
        "starred": item.starred,
        "trashed": item.trashed,
        "explicitlyTrashed": item.trashed,
        "spaces": ["drive"],
        "createdTime": utc_timestamp(item.created, millis=True),
        "modifiedTime": utc_timestamp(item.modified, millis=True),
        "owners": [owner],
        "lastModifyingUser": owner,
        "ownedByMe": item.owner.email == me,
        "shared": item.owner.email != me,
        "webViewLink": _web_view_link(item),
        "iconLink": f"https://drive-thirdparty.googleusercontent.com/16/type/{item.mime_type}",
        "capabilities": {"canDownload": True, "canEdit": item.owner.email == me},
    }
    if item.parents:
        resource["parents"] = list(item.parents)
    if item.description:
        resource["description"] = item.description
    if item.content is not None:
        extension = item.name.rsplit(".", 1)[-1] if "." in item.name else ""
        resource |= {
            "size": str(len(item.content)),
            "md5Checksum": hashlib.md5(item.content, usedforsecurity=False).hexdigest(),
            "originalFilename": item.name,
            "fileExtension": extension,
            "fullFileExtension": extension,
            "webContentLink": f"https://drive.google.com/uc?id={item.id}&export=download",
        }
    elif item.mime_type in _EXPORTS:
        resource["exportLinks"] = _export_links(item)
    return resource
