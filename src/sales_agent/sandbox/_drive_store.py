"""Drive files and folders held in memory; Google Docs keep their text, Sheets their rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sales_agent.sandbox._errors import NotFoundError

__all__ = [
    "DOCUMENT",
    "FOLDER",
    "GOOGLE_APPS_PREFIX",
    "SPREADSHEET",
    "DriveItem",
    "DriveStore",
    "Owner",
]

GOOGLE_APPS_PREFIX = "application/vnd.google-apps."
FOLDER = "application/vnd.google-apps.folder"
DOCUMENT = "application/vnd.google-apps.document"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"


@dataclass(frozen=True)
class Owner:
    """The user owning a file; `permission_id` is Drive's stable id for them."""

    email: str
    name: str
    permission_id: str


@dataclass(frozen=True)
class DriveItem:
    """A file or folder. Exactly one of `text` (Docs), `rows` (Sheets), `content` (blobs)."""

    id: str
    name: str
    mime_type: str
    parents: tuple[str, ...]
    created: datetime
    modified: datetime
    owner: Owner
    description: str | None = None
    trashed: bool = False
    starred: bool = False
    text: str | None = None
    rows: tuple[tuple[str, ...], ...] | None = None
    content: bytes | None = None

    @property
    def is_google_type(self) -> bool:
        """True for Docs Editors files and folders, which have no bytes to download."""
        return self.mime_type.startswith(GOOGLE_APPS_PREFIX)


@dataclass
class DriveStore:
    """Every item by id, and the root folder (also reachable by the alias `root`)."""

    root: DriveItem
    items: dict[str, DriveItem] = field(default_factory=dict)

    def resolve(self, file_id: str) -> str:
        """The real id behind an alias such as `root`."""
        return self.root.id if file_id == "root" else file_id

    def get(self, file_id: str) -> DriveItem:
        """The item with this id (or alias); Drive's 404 when there is none."""
        real = self.resolve(file_id)
        if real == self.root.id:
            return self.root
        item = self.items.get(real)
        if item is None:
            raise NotFoundError(f"File not found: {file_id}.", reason="notFound")
        return item

    def listable(self) -> list[DriveItem]:
        """Everything files.list can return (the root itself never appears in a listing)."""
        return list(self.items.values())
