"""The Drive allowlist's prefix rules and the asset-type guess."""

from __future__ import annotations

import pytest

from sales_agent.config import Settings
from sales_agent.connectors import DriveAllowlist
from sales_agent.connectors.drive_models import infer_asset_type

DEFAULT = DriveAllowlist.from_settings(Settings(_env_file=None))


@pytest.mark.parametrize(
    ("folder", "admitted"),
    [
        ("CHAINge Proposals", True),
        ("CP Client Reports", True),
        ("CP Proposals", True),
        ("Manifest 2026", True),
        ("CP Closed 2024", False),
        ("cp closed 2023", False),  # exclusion ignores case: better hidden than leaked
        ("CPU benchmarks", False),  # "CP " needs its space
        ("chainge proposals", False),  # admission does not
        ("Team Social", False),
        ("Dana - Personal", False),
    ],
)
def test_default_prefixes(folder: str, admitted: bool) -> None:
    assert DEFAULT.admits(folder) is admitted


def test_settings_feed_the_allowlist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALES_AGENT_DRIVE_ROOT_FOLDER_ID", "0Aroot")
    monkeypatch.setenv("SALES_AGENT_DRIVE_ALLOWED_PREFIXES", "Team,Dana")
    monkeypatch.setenv("SALES_AGENT_DRIVE_EXCLUDED_PREFIXES", "Dana")
    monkeypatch.setenv("SALES_AGENT_DRIVE_EXTRA_FOLDER_ID", "1extra")

    allowlist = DriveAllowlist.from_settings(Settings(_env_file=None))

    assert (allowlist.root_folder_id, allowlist.extra_folder_id) == ("0Aroot", "1extra")
    assert allowlist.admits("Team Social") and not allowlist.admits("Dana - Personal")
    assert not DriveAllowlist().admits("anything")  # no prefixes, no folders


@pytest.mark.parametrize(
    ("folder", "name", "kind"),
    [
        ("Manifest 2026", "Case study: Saltmarsh Energy dispatch redesign", "case_study"),
        ("CHAINge Proposals", "Case study: Halden Foods waste reduction", "case_study"),
        ("CP Client Reports", "Case-study - Greenway Grocers.pdf", "case_study"),
        ("CP Client Reports", "Halden Foods - Q3 Operations Report", "report"),
        ("CP Client Reports", "Halden Foods - KPI tracker", "report"),
        ("CP Client Reports", "Oakline Retail - store data", "report"),  # by its folder
        ("CHAINge Proposals", "Pricing 2026 - day rates and packages", "proposal"),
        ("CP Proposals", "Statement of Work template", "proposal"),
        ("CP Proposals", "Nimbus Parcel - Hub Proposal", "proposal"),
        ("Manifest 2026", "Manifest 2026 - How we work", "other"),
        ("Manifest 2026", "Sowerby notes", "other"),  # "sow" only as a word
    ],
)
def test_asset_type_from_name_then_folder(folder: str, name: str, kind: str) -> None:
    assert infer_asset_type(folder, name) == kind
