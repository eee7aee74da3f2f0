"""The people and companies every service of the workspace shares.

HubSpot holds them, Gmail threads are written by them, Drive reports are about them: one
cast keeps the services consistent. Ids are stable strings; the seeded lead (Priya at
Northwind Logistics, contact 1001, company 2001) is the first of each list.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

__all__ = ["CAST", "Cast", "Company", "Contact", "Deal", "Owner", "Persona"]


@dataclass(frozen=True)
class Persona:
    """Someone whose Sent folder the sandbox holds."""

    name: str
    email: str
    company: str
    domain: str
    time_zone: str


@dataclass(frozen=True)
class Owner:
    """A HubSpot owner (a user of the operator's CRM)."""

    id: str
    first_name: str
    last_name: str
    email: str


@dataclass(frozen=True)
class Company:
    """A HubSpot company."""

    id: str
    name: str
    domain: str
    industry: str
    funding_stage: str
    employees: int
    city: str
    country: str
    lifecycle_stage: str
    owner_id: str


@dataclass(frozen=True)
class Contact:
    """A HubSpot contact at one of the companies."""

    id: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    company_id: str
    lifecycle_stage: str
    owner_id: str

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Deal:
    """A HubSpot deal with one company and its main contact."""

    id: str
    name: str
    stage: str
    amount: int
    company_id: str
    contact_id: str
    owner_id: str
    close_in_days: int


@dataclass(frozen=True)
class Cast:
    """Everyone in the workspace."""

    operator: Persona
    other_persona: Persona
    owners: list[Owner]
    companies: list[Company]
    contacts: list[Contact] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)

    def company(self, company_id: str) -> Company:
        """The company with `company_id`."""
        return next(c for c in self.companies if c.id == company_id)

    def contacts_at(self, company_id: str) -> list[Contact]:
        """The contacts of one company, in id order."""
        return [c for c in self.contacts if c.company_id == company_id]


OPERATOR = Persona(
    name="Dana Reyes",
    email="dana@chaingepartners.example",
    company="Chainge Partners",
    domain="chaingepartners.example",
    time_zone="Europe/London",
)
# A second, different voice (formal, long, exclamation marks, em-dashes) for voice tests.
OTHER_PERSONA = Persona(
    name="Marcus Hale",
    email="marcus@brightlinegrowth.example",
    company="Brightline Growth",
    domain="brightlinegrowth.example",
    time_zone="Europe/London",
)
OWNERS = [
    Owner("301", "Dana", "Reyes", OPERATOR.email),
    Owner("302", "Tomás", "Reid", "tomas@chaingepartners.example"),
    Owner("303", "Amara", "Okafor", "amara@chaingepartners.example"),
]

# fmt: off
# name, domain stem, industry, funding stage, employees, city, country, lifecycle stage
_COMPANIES = [
    ("Northwind Logistics", "northwind-logistics", "Logistics", "Series B", 180, "Leeds", "United Kingdom", "lead"),
    ("Halden Foods", "haldenfoods", "Food & Beverage", "Private Equity", 640, "Manchester", "United Kingdom", "customer"),
    ("Brightwater Health", "brightwaterhealth", "Healthcare", "Series C", 420, "Bristol", "United Kingdom", "opportunity"),
    ("Kestrel Robotics", "kestrelrobotics", "Manufacturing", "Series A", 75, "Cambridge", "United Kingdom", "salesqualifiedlead"),
    ("Oakline Retail", "oaklineretail", "Retail", "Public", 5200, "London", "United Kingdom", "customer"),
    ("Ferrum Works", "ferrumworks", "Manufacturing", "Bootstrapped", 260, "Sheffield", "United Kingdom", "lead"),
    ("Lumen Ledger", "lumenledger", "Fintech", "Series B", 150, "Edinburgh", "United Kingdom", "opportunity"),
    ("Saltmarsh Energy", "saltmarshenergy", "Energy", "Growth", 900, "Aberdeen", "United Kingdom", "customer"),
    ("Pennine Pharma", "penninepharma", "Pharmaceuticals", "Public", 2300, "Macclesfield", "United Kingdom", "lead"),
    ("Tidewell Marine", "tidewellmarine", "Logistics", "Private Equity", 340, "Southampton", "United Kingdom", "marketingqualifiedlead"),
    ("Quarry Lane Studios", "quarrylane", "Media", "Seed", 18, "Brighton", "United Kingdom", "lead"),
    ("Vantage Build", "vantagebuild", "Construction", "Bootstrapped", 510, "Birmingham", "United Kingdom", "opportunity"),
    ("Copperleaf Learning", "copperleaf", "Education", "Series A", 60, "Oxford", "United Kingdom", "marketingqualifiedlead"),
    ("Arkwright Textiles", "arkwrighttextiles", "Manufacturing", "Private Equity", 730, "Bradford", "United Kingdom", "customer"),
    ("Nimbus Parcel", "nimbusparcel", "Logistics", "Series C", 1200, "Rotterdam", "Netherlands", "salesqualifiedlead"),
    ("Fjordline Seafood", "fjordline", "Food & Beverage", "Growth", 380, "Bergen", "Norway", "lead"),
    ("Müller & Söhne Maschinenbau", "mueller-soehne", "Manufacturing", "Bootstrapped", 950, "Stuttgart", "Germany", "opportunity"),
    ("Castellan Insurance", "castellan", "Financial Services", "Public", 3100, "London", "United Kingdom", "lead"),
    ("Greenway Grocers", "greenwaygrocers", "Retail", "Series B", 820, "Glasgow", "United Kingdom", "customer"),
    ("Heliotrope Software", "heliotrope", "SaaS", "Series A", 45, "London", "United Kingdom", "lead"),
    ("Rivermead Care", "rivermeadcare", "Healthcare", "Private Equity", 1500, "Nottingham", "United Kingdom", "marketingqualifiedlead"),
    ("Atlas Cold Chain", "atlascoldchain", "Logistics", "Series B", 290, "Dublin", "Ireland", "opportunity"),
]
_FIRST_NAMES = [
    "Priya", "Oliver", "Siobhán", "José", "Zoë", "Hamza", "Ingrid", "Kwame", "Łucja", "Mateo",
    "Chloé", "Rahul", "Søren", "Aoife", "Björn", "Fatima", "Noah", "Elif", "Grace", "Tomasz",
    "Amelia", "Yusuf", "Hannah", "Luca", "Nadia", "Callum", "Mei", "Dmitri", "Ruth", "Kofi",
]
_LAST_NAMES = [
    "Natarajan", "Whitfield", "Ní Bhriain", "Álvarez", "Müller", "Qureshi", "Halvorsen", "Mensah",
    "Wójcik", "Ferreira", "Lefèvre", "Kapoor", "Ødegaard", "Gallagher", "Lindqvist", "Haddad",
    "Brennan", "Yılmaz", "Osei", "Nowak", "Hughes", "Demir", "Carter", "Rossi", "Petrova",
    "MacLeod", "Chen", "Volkov", "Abrams", "Boateng",
]
_TITLES = [
    "Head of Operations", "COO", "Operations Director", "Supply Chain Manager", "CFO",
    "Warehouse Manager", "VP Operations", "Procurement Lead", "Managing Director",
    "Head of Finance", "Logistics Coordinator", "Chief Executive",
]
_DEAL_STAGES = [
    "appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin",
    "contractsent", "closedwon", "closedlost",
]
# fmt: on


def _ascii(text: str) -> str:
    """A mailbox-safe lowercase form of a name: accents dropped, spaces removed."""
    folded = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O"))
    folded = folded.replace("ł", "l").replace("Ł", "L").replace("ı", "i")
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum()).lower()


def _build() -> Cast:
    rng = random.Random(20261124)
    companies = [
        Company(
            id=str(2001 + i),
            name=name,
            domain=f"{stem}.example",
            industry=industry,
            funding_stage=stage,
            employees=employees,
            city=city,
            country=country,
            lifecycle_stage=lifecycle,
            owner_id=OWNERS[i % len(OWNERS)].id,
        )
        for i, (name, stem, industry, stage, employees, city, country, lifecycle) in enumerate(
            _COMPANIES
        )
    ]
    contacts: list[Contact] = []
    used: set[tuple[str, str]] = set()
    for company in companies:
        for slot in range(3):
            if not contacts:  # the seeded lead, fixed
                first, last, title = "Priya", "Natarajan", "Head of Operations"
            else:
                first, last = rng.choice(_FIRST_NAMES[1:]), rng.choice(_LAST_NAMES[1:])
                while (first, last) in used:
                    first, last = rng.choice(_FIRST_NAMES[1:]), rng.choice(_LAST_NAMES[1:])
                title = _TITLES[(len(contacts) + slot) % len(_TITLES)]
            used.add((first, last))
            contacts.append(
                Contact(
                    id=str(1001 + len(contacts)),
                    first_name=first,
                    last_name=last,
                    email=f"{_ascii(first)}.{_ascii(last)}@{company.domain}"
                    if contacts
                    else f"priya@{company.domain}",
                    job_title=title,
                    company_id=company.id,
                    lifecycle_stage=company.lifecycle_stage,
                    owner_id=company.owner_id,
                )
            )
    deals = []
    for company in companies:
        if company.lifecycle_stage not in ("customer", "opportunity", "salesqualifiedlead"):
            continue
        stage = (
            "closedwon" if company.lifecycle_stage == "customer" else rng.choice(_DEAL_STAGES[:5])
        )
        deals.append(
            Deal(
                id=str(4001 + len(deals)),
                name=f"{company.name} operations review",
                stage=stage,
                amount=rng.randrange(12, 120) * 1000,
                company_id=company.id,
                contact_id=next(c.id for c in contacts if c.company_id == company.id),
                owner_id=company.owner_id,
                close_in_days=rng.randrange(-200, 90),
            )
        )
    return Cast(OPERATOR, OTHER_PERSONA, OWNERS, companies, contacts, deals)


CAST = _build()
