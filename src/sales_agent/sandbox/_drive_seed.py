"""The drive section of the seed (`data/drive.json`) and the store built from it.

Times are relative ("days_ago" at a local time in the operator's zone) so the tree always
looks current. PDFs are stored base64; Docs as text; Sheets as rows (header first).
"""

from __future__ import annotations

import base64
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sales_agent.sandbox._drive_store import FOLDER, DriveItem, DriveStore, Owner

__all__ = ["SeedDrive", "build_drive"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _SeedPerson(_Model):
    email: str
    name: str
    permission_id: str


class _SeedFile(_Model):
    id: str
    name: str
    mime_type: str
    parent: str
    owner: str
    days_ago: int = Field(ge=0)
    local_time: time = time(9)
    created_days_ago: int = Field(ge=0)
    description: str | None = None
    trashed: bool = False
    starred: bool = False
    text: str | None = None
    rows: list[list[str]] | None = None
    content_base64: str | None = None

    @model_validator(mode="after")
    def _one_content(self) -> _SeedFile:
        contents = [c for c in (self.text, self.rows, self.content_base64) if c is not None]
        if len(contents) != (self.mime_type != FOLDER):
            raise ValueError(f"{self.id}: a folder has no content, a file exactly one kind")
        if self.created_days_ago < self.days_ago:
            raise ValueError(f"{self.id}: created after its last modification")
        return self


class _SeedRoot(_Model):
    id: str
    name: str
    owner: str
    created_days_ago: int


class SeedDrive(_Model):
    """The operator's My Drive: the root, the people owning files, every folder and file."""

    root: _SeedRoot
    people: list[_SeedPerson]
    files: list[_SeedFile]


def _when(now: datetime, zone: ZoneInfo, days_ago: int, at: time) -> datetime:
    day = now.astimezone(zone).date() - timedelta(days=days_ago)
    return datetime.combine(day, at, zone)


def build_drive(seed: SeedDrive, now: datetime, *, time_zone: str) -> DriveStore:
    """Build the tree around `now`, local times read in `time_zone`."""
    zone = ZoneInfo(time_zone)
    people = {p.email: Owner(p.email, p.name, p.permission_id) for p in seed.people}
    created = _when(now, zone, seed.root.created_days_ago, time(9))
    root = DriveItem(
        id=seed.root.id,
        name=seed.root.name,
        mime_type=FOLDER,
        parents=(),
        created=created,
        modified=created,
        owner=people[seed.root.owner],
    )
    items = {
        f.id: DriveItem(
            id=f.id,
            name=f.name,
            mime_type=f.mime_type,
            parents=(f.parent,),
            created=_when(now, zone, f.created_days_ago, f.local_time),
            modified=_when(now, zone, f.days_ago, f.local_time),
            owner=people[f.owner],
            description=f.description,
            trashed=f.trashed,
            starred=f.starred,
            text=f.text,
            rows=tuple(tuple(row) for row in f.rows) if f.rows is not None else None,
            content=base64.b64decode(f.content_base64) if f.content_base64 else None,
        )
        for f in seed.files
    }
    return DriveStore(root=root, items=items)
