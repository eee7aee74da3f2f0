"""The rows of the Drive spreadsheets (header first), all strings as a CSV export gives them."""

from __future__ import annotations

import random

from scripts.workspace.cast import Cast, Company
from scripts.workspace.drive_docs import cap, industry

Rows = list[list[str]]


def pricing() -> Rows:
    """Our list prices."""
    return [
        ["Role", "Day rate (GBP)", "Minimum days", "Notes"],
        ["Partner", "1,650", "2", "Steering and executive sessions"],
        ["Principal consultant", "1,250", "10", "Leads the diagnostic"],
        ["Consultant", "950", "10", "On the floor with the team"],
        ["Analyst", "650", "5", "KPI pack and data work"],
        ["Package: Diagnostic", "18,000", "", "Three weeks, fixed fee"],
        ["Package: Diagnostic + Redesign", "54,000", "", "Nine weeks, fixed fee"],
        ["Package: Full programme", "85,000", "", "Thirteen weeks, fixed fee"],
    ]


def proposal_pricing(company: Company, amount: int) -> Rows:
    """The build-up behind one proposal's fee."""
    partner, principal, consultant = 4, amount // 3 // 1250, amount // 3 // 950
    return [
        ["Line", "Days", "Rate (GBP)", "Total (GBP)"],
        ["Partner", str(partner), "1650", str(partner * 1650)],
        ["Principal consultant", str(principal), "1250", str(principal * 1250)],
        ["Consultant", str(consultant), "950", str(consultant * 950)],
        ["Fee quoted to " + company.name, "", "", str(amount)],
    ]


def kpi_tracker(company: Company, rng: random.Random) -> Rows:
    """Weekly KPIs a client shares with us."""
    _, metric, second, unit = industry(company)
    rows = [["Week", cap(metric), cap(second), f"{cap(unit)} handled"]]
    level = rng.uniform(80, 86)
    for week in range(1, 15):
        level += rng.uniform(-0.6, 1.1)
        rows.append(
            [
                f"W{week:02d}",
                f"{level:.1f}",
                f"{rng.uniform(3, 9):.1f}",
                str(rng.randint(8, 30) * 100),
            ]
        )
    return rows


def savings_tracker(company: Company, rng: random.Random) -> Rows:
    """Savings by initiative (client confidential)."""
    rows = [["Initiative", "Owner", "Annualised saving (GBP)", "Status"]]
    for initiative in ("Shift handover huddles", "Exception owner", "Weekly worst-five review"):
        rows.append(
            [
                initiative,
                company.name,
                str(rng.randint(40, 400) * 1000),
                rng.choice(["Live", "Live", "Piloting"]),
            ]
        )
    return rows


def store_data(rng: random.Random) -> Rows:
    """Replenishment samples by store."""
    rows = [["Store", "Region", "On-shelf availability %", "Shrink %", "Lines out of stock"]]
    for store in range(101, 131):
        rows.append(
            [
                f"Store {store}",
                rng.choice(["North", "Midlands", "London", "South West"]),
                f"{rng.uniform(91, 98):.1f}",
                f"{rng.uniform(1.1, 2.9):.2f}",
                str(rng.randint(3, 60)),
            ]
        )
    return rows


def proposal_tracker(cast: Cast) -> Rows:
    """Every open deal, as the team tracks proposals."""
    rows = [["Company", "Deal", "Stage", "Value (GBP)", "Owner"]]
    owners = {owner.id: owner.first_name for owner in cast.owners}
    for deal in cast.deals:
        rows.append(
            [
                cast.company(deal.company_id).name,
                deal.name,
                deal.stage,
                str(deal.amount),
                owners[deal.owner_id],
            ]
        )
    return rows


def closed_margins(cast: Cast, rng: random.Random) -> Rows:
    """Margins on the 2024 engagements (internal only)."""
    rows = [["Client", "Contract value (GBP)", "Gross margin %", "Days over budget"]]
    for company in cast.companies[1:9]:
        rows.append(
            [
                company.name,
                str(rng.randint(30, 160) * 1000),
                f"{rng.uniform(24, 46):.1f}",
                str(rng.randint(-3, 15)),
            ]
        )
    return rows


def service_catalogue() -> Rows:
    """What we sell, publicly."""
    return [
        ["Service", "Typical length", "Outcome"],
        ["Operations diagnostic", "3 weeks", "A baseline and the five biggest leaks"],
        ["Dispatch redesign", "6-8 weeks", "More jobs per crew day"],
        ["Changeover programme", "8 weeks", "Changeover time cut by a third or more"],
        ["Replenishment review", "6 weeks", "Better on-shelf availability"],
        ["KPI pack and coaching", "4 weeks", "A Monday page leadership reads"],
    ]


def five_a_side() -> Rows:
    """Who brings the bibs."""
    return [
        ["Week", "Bibs", "Ball", "Booking"],
        ["1", "Tomás", "Amara", "Dana"],
        ["2", "Dana", "Tomás", "Amara"],
        ["3", "Amara", "Dana", "Tomás"],
    ]


def personal_budget() -> Rows:
    """The operator's own budget (personal, never for the agent)."""
    return [
        ["Item", "Monthly (GBP)"],
        ["Mortgage", "1,480"],
        ["Childcare", "920"],
        ["Car", "310"],
        ["Savings", "600"],
    ]


def board_pack() -> Rows:
    """Loose draft figures at the Drive root (outside every allowlisted folder)."""
    return [
        ["Line", "Last year (GBP)", "This year forecast (GBP)"],
        ["Revenue", "1,240,000", "1,610,000"],
        ["Gross margin", "498,000", "655,000"],
        ["Partner drawings", "310,000", "360,000"],
    ]
