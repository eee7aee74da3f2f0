"""DriveClient over HTTP against the sandbox: the allowlist on every listing and read, and
text out of Docs, PDFs and Sheets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sales_agent.config import Settings
from sales_agent.connectors import DriveAccessError, DriveClient, RetryPolicy, build_connectors
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import SandboxServer

ALLOWED = ["CHAINge Proposals", "CP Client Reports", "CP Proposals", "Manifest 2026"]
OFF_LIMITS = ["CP Closed 2024", "Team Social", "Dana - Personal"]
FAST_RETRY = RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.05, max_retry_after=1)
PDF = "application/pdf"
SHEET = "application/vnd.google-apps.spreadsheet"


def _drive(sandbox: SandboxServer, **overrides: Any) -> DriveClient:
    settings = Settings(
        _env_file=None,
        google_client_id=None,
        google_client_secret=None,
        google_refresh_token=None,
        hubspot_access_token=None,
        **overrides,
    )
    return build_connectors(settings, sandbox.url, retry=FAST_RETRY).drive


@pytest.fixture(scope="module")
def drive(sandbox: SandboxServer) -> DriveClient:
    return _drive(sandbox)


def _id(sandbox: SandboxServer, name: str) -> str:
    (item,) = [i for i in sandbox.workspace.drive.listable() if i.name == name]
    return item.id


def _inside(sandbox: SandboxServer, folder: str) -> list[str]:
    """Ids of the files directly inside one of the root's folders."""
    folder_id = _id(sandbox, folder)
    return [i.id for i in sandbox.workspace.drive.listable() if folder_id in i.parents]


def test_allowed_folders_follow_the_prefixes(drive: DriveClient) -> None:
    assert [folder.name for folder in drive.allowed_folders()] == ALLOWED


def test_listing_stays_inside_the_allowed_folders(
    sandbox: SandboxServer, drive: DriveClient
) -> None:
    files = drive.list_files()
    forbidden = {i for folder in OFF_LIMITS for i in _inside(sandbox, folder)}
    root_id = sandbox.workspace.drive.root.id
    loose = {i.id for i in sandbox.workspace.drive.listable() if root_id in i.parents}

    assert len(files) >= 30
    assert {f.folder_name for f in files} == set(ALLOWED)
    assert not {f.id for f in files} & (forbidden | loose)
    assert "OLD - Kestrel Robotics proposal v1" not in {f.name for f in files}  # trashed
    assert {f.mime_type for f in files} >= {PDF, SHEET, "application/vnd.google-apps.document"}
    stamps = [f.modified_time for f in files]
    assert stamps == sorted(stamps, reverse=True)
    assert all(f.modified_time.utcoffset() == timedelta(0) for f in files)
    assert {f.asset_type for f in files} == {"proposal", "report", "case_study", "other"}


def test_files_carry_folder_link_and_asset_type(drive: DriveClient) -> None:
    by_name = {f.name: f for f in drive.list_files()}

    report = by_name["Halden Foods - Q3 Operations Report"]
    assert (report.folder_name, report.asset_type) == ("CP Client Reports", "report")
    assert (
        report.web_view_link == f"https://docs.google.com/document/d/{report.id}/edit?usp=drivesdk"
    )
    assert report.size is None
    case = by_name["Case study: Saltmarsh Energy dispatch redesign"]
    assert (case.folder_name, case.asset_type) == ("Manifest 2026", "case_study")
    pricing = by_name["Pricing 2026 - day rates and packages"]
    assert pricing.asset_type == "proposal"
    assert by_name["Manifest 2026 - How we work"].asset_type == "other"
    pdf = by_name["Vantage Build - Site logistics Proposal.pdf"]
    assert pdf.size is not None and pdf.size > 500


def test_filters_narrow_the_listing(drive: DriveClient) -> None:
    everything = drive.list_files()
    cutoff = datetime.now(UTC) - timedelta(days=30)

    recent = drive.list_files(modified_after=cutoff)
    pdfs_and_sheets = drive.list_files(mime_types=[PDF, SHEET])
    halden = drive.list_files(name_contains="Halden")

    assert recent == [f for f in everything if f.modified_time > cutoff]
    assert 0 < len(recent) < len(everything)
    assert pdfs_and_sheets == [f for f in everything if f.mime_type in (PDF, SHEET)]
    assert {f.name for f in halden} == {
        "Halden Foods - Q3 Operations Report",
        "Halden Foods - KPI tracker",
        "Halden Foods - Q2 Board Summary.pdf",
        "Case study: Halden Foods waste reduction",
    }  # not "Halden Foods 2024 - engagement financials", in CP Closed 2024
    assert drive.list_files(name_contains="it's 'quoted'") == []
    with pytest.raises(ValueError, match="timezone-aware"):
        drive.list_files(modified_after=cutoff.replace(tzinfo=None))


@pytest.mark.parametrize("folder", OFF_LIMITS)
def test_nothing_outside_the_allowlist_is_read(
    sandbox: SandboxServer, drive: DriveClient, folder: str
) -> None:
    ids = _inside(sandbox, folder)
    assert ids
    for file_id in ids:
        with pytest.raises(DriveAccessError, match="not in an allowlisted folder"):
            drive.get_file(file_id)
        with pytest.raises(DriveAccessError):
            drive.read_text(file_id)


def test_loose_trashed_and_folder_items_are_refused(
    sandbox: SandboxServer, drive: DriveClient
) -> None:
    refusals = {}
    for name, reason in (
        ("Board pack - draft figures (do not share)", "not in an allowlisted folder"),  # root
        ("CP Client Reports", "not in an allowlisted folder"),  # a folder: its parent is root
        ("OLD - Kestrel Robotics proposal v1", "in the trash"),
    ):
        with pytest.raises(DriveAccessError, match=reason) as excinfo:
            drive.read_text(_id(sandbox, name))
        assert excinfo.value.status == 403
        refusals[name] = str(excinfo.value)
    # A refusal names the id, never the off-limits file.
    assert "Board pack" not in refusals["Board pack - draft figures (do not share)"]


def test_the_extra_folder_opens_one_more_folder(sandbox: SandboxServer) -> None:
    personal_id = _id(sandbox, "Dana - Personal")
    drive = _drive(sandbox, drive_extra_folder_id=personal_id)

    assert [f.name for f in drive.allowed_folders()] == [*ALLOWED, "Dana - Personal"]
    listed = {f.name for f in drive.list_files() if f.folder_id == personal_id}
    assert listed == {
        "Mortgage offer.pdf",
        "Personal budget",
        "Dana - development goals",
        "Holiday packing list",
    }
    assert "walking boots" in drive.read_text(_id(sandbox, "Holiday packing list"))
    with pytest.raises(DriveAccessError):  # the other off-limits folders stay closed
        drive.read_text(_inside(sandbox, "CP Closed 2024")[0])


def test_a_bad_extra_folder_says_which_setting(sandbox: SandboxServer) -> None:
    with pytest.raises(ConnectorError, match="SALES_AGENT_DRIVE_EXTRA_FOLDER_ID"):
        _drive(sandbox, drive_extra_folder_id="1missing").allowed_folders()
    document = _id(sandbox, "Holiday packing list")
    with pytest.raises(ConnectorError, match="not a folder"):
        _drive(sandbox, drive_extra_folder_id=document).list_files()


def test_prefixes_come_from_the_settings(sandbox: SandboxServer) -> None:
    drive = _drive(sandbox, drive_allowed_prefixes="CP ,Team", drive_excluded_prefixes="CP Pro")

    assert [f.name for f in drive.allowed_folders()] == [
        "CP Client Reports",
        "CP Closed 2024",
        "Team Social",
    ]


def test_read_text_of_a_doc(sandbox: SandboxServer, drive: DriveClient) -> None:
    file_id = _id(sandbox, "Halden Foods - Q3 Operations Report")
    stored = sandbox.workspace.drive.get(file_id).text

    text = drive.read_text(file_id)

    assert text == stored
    assert text.startswith("CONFIDENTIAL - Halden Foods client data.")
    assert "\r" not in text and "\ufeff" not in text


def test_read_text_of_a_pdf(sandbox: SandboxServer, drive: DriveClient) -> None:
    text = drive.read_text(_id(sandbox, "Vantage Build - Site logistics Proposal.pdf"))

    assert text.startswith("Vantage Build - Site logistics Proposal")
    assert "Phase 1, Diagnostic" in text
    assert "Fixed fee of £68,000 excluding VAT" in text


def test_read_text_of_a_sheet_keeps_the_header_and_first_rows(
    sandbox: SandboxServer, drive: DriveClient
) -> None:
    file_id = _id(sandbox, "Oakline Retail - store replenishment data")
    stored = sandbox.workspace.drive.get(file_id).rows
    assert stored is not None and len(stored) == 31

    lines = drive.read_text(file_id).splitlines()

    assert lines[0] == "Store,Region,On-shelf availability %,Shrink %,Lines out of stock"
    assert lines[1].startswith("Store 101,") and lines[20].startswith("Store 120,")
    assert lines[21:] == ["[10 more rows not shown]"]
    short = drive.read_text(_id(sandbox, "Service catalogue 2026")).splitlines()
    assert short[0] == "Service,Typical length,Outcome" and len(short) == 6
