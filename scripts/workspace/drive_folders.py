"""What each Drive folder holds: one row per file, (kind, name, content, owner, days ago).

The owner is a colleague's first name, or a company (whose account owner wrote the file).
Client reports and the closed-engagement files carry confidential figures on purpose.
"""

from __future__ import annotations

import random

from scripts.workspace import drive_docs as docs
from scripts.workspace import drive_sheets as sheets
from scripts.workspace.cast import Cast, Company

DOC = "application/vnd.google-apps.document"
SHEET = "application/vnd.google-apps.spreadsheet"
PDF = "application/pdf"
ROOT = ""  # the folder name meaning "loose at the root"

Content = str | sheets.Rows
Row = tuple[str, str, Content, str | Company, int]


def _proposals(cast: Cast, rng: random.Random) -> list[Row]:
    def proposal(name: str, amount: int | None = None) -> tuple[Company, str, str]:
        company = _company(cast, name)
        fee = amount or _amount(cast, company, rng)
        text = docs.proposal(company, cast.contacts_at(company.id)[0], fee, rng)
        return company, f"{name} - {docs.cap(docs.industry(company)[0])} Proposal", text

    rows: list[Row] = []
    for name, days in (("Brightwater Health", 12), ("Kestrel Robotics", 5), ("Lumen Ledger", 33)):
        company, title, text = proposal(name)
        rows.append((DOC, title, text, company, days))
    atlas, title, text = proposal("Atlas Cold Chain")
    rows.append((DOC, title, text, atlas, 9))
    vantage, title, text = proposal("Vantage Build")
    rows.append((PDF, f"{title}.pdf", text, vantage, 47))
    statics = docs.statics(cast)
    northwind = cast.companies[0]
    fee = _amount(cast, atlas, rng)
    credentials = statics["manifest"].replace("Manifest 2026 - How we work", "Credentials 2026")
    return [
        *rows,
        (SHEET, "Pricing 2026 - day rates and packages", sheets.pricing(), "Dana", 61),
        (
            SHEET,
            "Atlas Cold Chain - proposal pricing",
            sheets.proposal_pricing(atlas, fee),
            atlas,
            9,
        ),
        (PDF, "Chainge Partners - Credentials 2026.pdf", credentials, "Dana", 70),
        (
            DOC,
            "Case study: Halden Foods waste reduction",
            _case(cast, "Halden Foods", rng),
            "Dana",
            88,
        ),
        (
            DOC,
            "OLD - Kestrel Robotics proposal v1",
            proposal("Kestrel Robotics", 95000)[2],
            "Dana",
            40,
        ),
        (DOC, "Proposal template - operations review", statics["template"], "Dana", 150),
        (DOC, "Northwind Logistics - call prep notes", _prep(cast, northwind), "Dana", 1),
    ]


def _client_reports(cast: Cast, rng: random.Random) -> list[Row]:
    halden, oakline, saltmarsh, greenway, arkwright = (
        _company(cast, name)
        for name in (
            "Halden Foods",
            "Oakline Retail",
            "Saltmarsh Energy",
            "Greenway Grocers",
            "Arkwright Textiles",
        )
    )

    def report(company: Company, quarter: str) -> str:
        return docs.report(company, cast.contacts_at(company.id)[0], quarter, rng)

    return [
        (DOC, "Halden Foods - Q3 Operations Report", report(halden, "Q3"), halden, 18),
        (SHEET, "Halden Foods - KPI tracker", sheets.kpi_tracker(halden, rng), halden, 3),
        (PDF, "Halden Foods - Q2 Board Summary.pdf", report(halden, "Q2"), halden, 104),
        (DOC, "Oakline Retail - Replenishment Review Report", report(oakline, "Q3"), oakline, 26),
        (SHEET, "Oakline Retail - store replenishment data", sheets.store_data(rng), oakline, 27),
        (
            DOC,
            "Saltmarsh Energy - Dispatch Programme Close-out Report",
            report(saltmarsh, "Q2"),
            saltmarsh,
            131,
        ),
        (
            PDF,
            "Saltmarsh Energy - Field Crew Utilisation Report.pdf",
            report(saltmarsh, "Q1"),
            saltmarsh,
            190,
        ),
        (
            DOC,
            "Greenway Grocers - Monthly Operations Report",
            report(greenway, "October"),
            greenway,
            7,
        ),
        (
            SHEET,
            "Greenway Grocers - savings tracker",
            sheets.savings_tracker(greenway, rng),
            greenway,
            8,
        ),
        (
            DOC,
            "Arkwright Textiles - Line Changeover Report",
            report(arkwright, "Q3"),
            arkwright,
            55,
        ),
    ]


def _older_proposals(cast: Cast, rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for name, days, kind in (
        ("Müller & Söhne Maschinenbau", 74, DOC),
        ("Nimbus Parcel", 96, DOC),
        ("Copperleaf Learning", 122, PDF),
        ("Tidewell Marine", 160, PDF),
        ("Heliotrope Software", 205, DOC),
    ):
        company = _company(cast, name)
        text = docs.proposal(
            company, cast.contacts_at(company.id)[0], _amount(cast, company, rng), rng
        )
        title = f"{name} - {docs.cap(docs.industry(company)[0])} Proposal"
        rows.append((kind, f"{title}.pdf" if kind == PDF else title, text, company, days))
    return [
        *rows,
        (SHEET, "Proposal tracker 2025-26", sheets.proposal_tracker(cast), "Dana", 2),
        (DOC, "Statement of Work template", docs.statics(cast)["sow"], "Amara", 240),
    ]


def _manifest(cast: Cast, rng: random.Random) -> list[Row]:
    statics = docs.statics(cast)
    return [
        (DOC, "Manifest 2026 - How we work", statics["manifest"], "Dana", 20),
        (PDF, "Manifest 2026 - one page.pdf", statics["manifest"], "Dana", 19),
        (
            DOC,
            "Case study: Saltmarsh Energy dispatch redesign",
            _case(cast, "Saltmarsh Energy", rng),
            "Dana",
            44,
        ),
        (
            PDF,
            "Case study - Greenway Grocers replenishment.pdf",
            _case(cast, "Greenway Grocers", rng),
            "Amara",
            66,
        ),
        (
            DOC,
            "Case study: Arkwright Textiles changeover time halved",
            _case(cast, "Arkwright Textiles", rng),
            "Tomás",
            99,
        ),
        (SHEET, "Service catalogue 2026", sheets.service_catalogue(), "Dana", 21),
        (DOC, "Our voice - writing guide", statics["voice"], "Dana", 140),
    ]


def _closed(cast: Cast, rng: random.Random) -> list[Row]:
    halden, pennine, arkwright, castellan, rivermead = (
        _company(cast, name)
        for name in (
            "Halden Foods",
            "Pennine Pharma",
            "Arkwright Textiles",
            "Castellan Insurance",
            "Rivermead Care",
        )
    )
    report = docs.report(rivermead, cast.contacts_at(rivermead.id)[0], "Q4", rng)
    return [
        (
            DOC,
            "Halden Foods 2024 - engagement financials",
            docs.closed_financials(halden, 184500, rng),
            "Dana",
            290,
        ),
        (
            PDF,
            "Pennine Pharma - SOW signed 2024.pdf",
            docs.closed_financials(pennine, 126000, rng),
            "Dana",
            410,
        ),
        (SHEET, "Closed deals 2024 - margins", sheets.closed_margins(cast, rng), "Dana", 300),
        (
            DOC,
            "Castellan Insurance - lost bid post-mortem",
            docs.post_mortem(castellan, 142000),
            "Amara",
            350,
        ),
        (
            PDF,
            "Arkwright Textiles - final invoice 2024.pdf",
            docs.closed_financials(arkwright, 97000, rng),
            "Tomás",
            330,
        ),
        (DOC, "Rivermead Care - 2024 report (client confidential)", report, "Amara", 380),
    ]


def _social(cast: Cast) -> list[Row]:
    statics = docs.statics(cast)
    return [
        (DOC, "Christmas party - venue options", statics["party"], "Tomás", 15),
        (SHEET, "Five-a-side rota", sheets.five_a_side(), "Tomás", 6),
        (DOC, "Summer away day - ideas", statics["away_day"], "Amara", 180),
    ]


def _personal(cast: Cast) -> list[Row]:
    statics = docs.statics(cast)
    return [
        (PDF, "Mortgage offer.pdf", statics["mortgage"], "Dana", 230),
        (SHEET, "Personal budget", sheets.personal_budget(), "Dana", 11),
        (DOC, "Dana - development goals", statics["goals"], "Dana", 64),
        (DOC, "Holiday packing list", statics["packing"], "Dana", 120),
    ]


def _loose(cast: Cast) -> list[Row]:
    return [
        (DOC, "Untitled document", docs.statics(cast)["untitled"], "Dana", 4),
        (SHEET, "Board pack - draft figures (do not share)", sheets.board_pack(), "Dana", 13),
    ]


def _company(cast: Cast, name: str) -> Company:
    return next(c for c in cast.companies if c.name == name)


def _amount(cast: Cast, company: Company, rng: random.Random) -> int:
    deal = next((d for d in cast.deals if d.company_id == company.id), None)
    return deal.amount if deal else rng.randrange(18, 90) * 1000


def _case(cast: Cast, name: str, rng: random.Random) -> str:
    return docs.case_study(_company(cast, name), rng)


def _prep(cast: Cast, company: Company) -> str:
    return docs.prep_notes(cast.contacts_at(company.id)[0], company)


def contents(cast: Cast, rng: random.Random) -> dict[str, list[Row]]:
    """Every folder's files, by folder name (ROOT for the loose ones)."""
    return {
        "CHAINge Proposals": _proposals(cast, rng),
        "CP Client Reports": _client_reports(cast, rng),
        "CP Proposals": _older_proposals(cast, rng),
        "Manifest 2026": _manifest(cast, rng),
        "CP Closed 2024": _closed(cast, rng),
        "Team Social": _social(cast),
        "Dana - Personal": _personal(cast),
        ROOT: _loose(cast),
    }
