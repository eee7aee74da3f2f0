"""What the Drive connector returns, and the allowlist it enforces."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sales_agent.config import Settings

__all__ = ["AssetType", "DriveAllowlist", "DriveFile", "DriveFolder", "infer_asset_type"]

AssetType = Literal["proposal", "report", "case_study", "other"]

_CASE_STUDY = re.compile(r"\bcase[ -]stud(y|ies)\b", re.IGNORECASE)
_PROPOSAL = re.compile(r"\b(proposals?|pricing|quote|statement of work|sow)\b", re.IGNORECASE)
_REPORT = re.compile(r"\b(reports?|board summary|kpi|review)\b", re.IGNORECASE)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


def infer_asset_type(folder_name: str, file_name: str) -> AssetType:
    """Guess what a file is for: its name decides first, then the folder it sits in."""
    for text in (file_name, folder_name):
        if _CASE_STUDY.search(text):
            return "case_study"
        if _PROPOSAL.search(text):
            return "proposal"
        if _REPORT.search(text):
            return "report"
    return "other"


class DriveAllowlist(_Frozen):
    """Which folders may be listed and read.

    The root's sub-folders named with an allowed prefix, minus those with an excluded
    prefix, plus one extra folder by id.
    """

    root_folder_id: str = "root"
    allowed_prefixes: tuple[str, ...] = ()
    excluded_prefixes: tuple[str, ...] = ()
    extra_folder_id: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> DriveAllowlist:
        """The allowlist the environment configures (SALES_AGENT_DRIVE_*)."""
        return cls(
            root_folder_id=settings.drive_root_folder_id,
            allowed_prefixes=settings.drive_allowed_prefixes,
            excluded_prefixes=settings.drive_excluded_prefixes,
            extra_folder_id=settings.drive_extra_folder_id,
        )

    def admits(self, folder_name: str) -> bool:
        """True for a root sub-folder the prefixes let through."""
        # Exclusion ignores case so "cp closed 2023" stays out too: erring towards hiding.
        folded = folder_name.casefold()
        if any(folded.startswith(prefix.casefold()) for prefix in self.excluded_prefixes):
            return False
        return folder_name.startswith(tuple(self.allowed_prefixes))


class DriveFolder(_Frozen):
    """An allowlisted folder."""

    id: str
    name: str
    web_view_link: str | None = None


class DriveFile(_Frozen):
    """A file in an allowlisted folder."""

    id: str
    name: str
    mime_type: str = Field(description="Drive's MIME type, e.g. application/pdf.")
    modified_time: AwareDatetime = Field(description="Last modification, in UTC.")
    folder_id: str
    folder_name: str
    web_view_link: str | None = Field(default=None, description="Where a person opens it.")
    size: int | None = Field(default=None, description="Bytes, for binary files only.")
    asset_type: AssetType = Field(description="Inferred from the name, then the folder.")
