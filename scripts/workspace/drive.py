"""The operator's Drive: the allowlisted folders, the excluded and unrelated ones, 50-odd files.

Under the root: `CHAINge Proposals`, `CP Client Reports`, `CP Proposals` and `Manifest 2026`
(allowlisted by the default prefixes), `CP Closed 2024` (excluded by prefix), `Team Social`
(unrelated) and `Dana - Personal` (the operator's own), plus two loose files at the root.
Docs are stored as text, Sheets as rows, PDFs as real PDF bytes (base64); what each folder
holds is in `drive_folders`.
"""

from __future__ import annotations

import random
import string
from typing import Any

from scripts.workspace.cast import Cast, Company
from scripts.workspace.drive_folders import DOC, PDF, ROOT, SHEET, Row, contents
from scripts.workspace.drive_pdf import pdf_base64

FOLDER = "application/vnd.google-apps.folder"

FOLDERS = (
    "CHAINge Proposals",
    "CP Client Reports",
    "CP Proposals",
    "Manifest 2026",
    "CP Closed 2024",
    "Team Social",
    "Dana - Personal",
)
_ID_ALPHABET = string.ascii_letters + string.digits + "-_"


class _Tree:
    """Collects folders and files with stable, Drive-looking ids and relative times."""

    def __init__(self, cast: Cast, rng: random.Random) -> None:
        self.rng = rng
        self.root_id = "0A" + self._chars(17) + "Uk9PVA"
        self.files: list[dict[str, Any]] = []
        self.folder_ids: dict[str, str] = {ROOT: self.root_id}
        self.emails = {owner.first_name: owner.email for owner in cast.owners}
        self.account_owner = {o.id: o.email for o in cast.owners}

    def _chars(self, count: int) -> str:
        return "".join(self.rng.choice(_ID_ALPHABET) for _ in range(count))

    def add(self, folder: str, row: Row) -> dict[str, Any]:
        kind, name, content, owner, days_ago = row
        minute = self.rng.choice((0, 10, 25, 40, 55))
        entry: dict[str, Any] = {
            "id": "1" + self._chars(32),
            "name": name,
            "mime_type": kind,
            "parent": self.folder_ids[folder],
            "owner": (
                self.account_owner[owner.owner_id]
                if isinstance(owner, Company)
                else self.emails[owner]
            ),
            "days_ago": days_ago,
            "local_time": f"{self.rng.randint(8, 18):02d}:{minute:02d}",
            "created_days_ago": days_ago + self.rng.randint(0, 45),
        }
        if kind == DOC:
            entry["text"] = content
        elif kind == SHEET:
            entry["rows"] = content
        elif kind == PDF:
            assert isinstance(content, str)
            title, _, body = content.partition("\n")
            entry["content_base64"] = pdf_base64(title, body.strip())
        self.files.append(entry)
        return entry

    def folder(self, name: str, days_ago: int) -> None:
        self.folder_ids[name] = self.add(ROOT, (FOLDER, name, "", "Dana", days_ago))["id"]


def generate(cast: Cast) -> dict[str, Any]:
    """The `drive` section: root, people, and every folder and file."""
    rng = random.Random(20261126)
    tree = _Tree(cast, rng)
    for index, name in enumerate(FOLDERS):
        tree.folder(name, days_ago=400 + index * 17)
    for folder, rows in contents(cast, rng).items():
        for row in rows:
            entry = tree.add(folder, row)
            if row[1].startswith("OLD - "):
                entry["trashed"] = True  # trashed, so `trashed = false` has work to do
    return {
        "root": {
            "id": tree.root_id,
            "name": "My Drive",
            "owner": cast.operator.email,
            "created_days_ago": 1500,
        },
        "people": [
            {
                "email": o.email,
                "name": f"{o.first_name} {o.last_name}",
                "permission_id": f"{int(o.id) * 7919:020d}",
            }
            for o in cast.owners
        ],
        "files": tree.files,
    }
