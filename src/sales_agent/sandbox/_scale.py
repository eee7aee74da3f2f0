"""A workspace at a real customer's size: N contacts, N/5 companies, 2N messages, N/10 files.

Added on top of the seed (`sales-agent sandbox --scale N`), so every seeded scenario stays as
it is; generated from a fixed seed, so the same N always gives the same workspace. Names come
from Faker in several locales (non-ASCII included), drawn from pools built once, and records
are stored without the per-request checks: 100,000 contacts are ready in seconds.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from faker import Faker

from sales_agent.sandbox._crm_store import PRIMARY_COMPANY, Association, CrmObject
from sales_agent.sandbox._drive_store import DriveItem
from sales_agent.sandbox._formats import utc_timestamp

if TYPE_CHECKING:  # the workspace builds itself with `add_scale`
    from sales_agent.sandbox.workspace import Workspace

__all__ = ["MAX_SCALE", "SCALE_COMPANY_BASE", "SCALE_CONTACT_BASE", "ScaleCounts", "add_scale"]

MAX_SCALE = 100_000
SCALE_COMPANY_BASE = 10_000_001
SCALE_CONTACT_BASE = 20_000_001
# Latin, Germanic, Slavic, Nordic, Turkish and Japanese names: accents, ß, Ł, ø, ı and kanji.
_LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "pl_PL", "sv_SE", "tr_TR", "ja_JP")
_POOL = 400  # names drawn per locale; combinations give ~10^6 distinct full names
_STAGES = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
           "customer")  # fmt: skip
_DOC = "application/vnd.google-apps.document"
_SCALE_FOLDER = "CP Client Reports"  # an allowlisted folder, so generated files are indexed
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TOPICS = ("warehouse slotting", "route planning", "demand forecast", "carrier contracts",
           "inventory accuracy", "returns handling", "cold chain audit")  # fmt: skip


@dataclass(frozen=True)
class ScaleCounts:
    """What `add_scale` added."""

    companies: int
    contacts: int
    messages: int
    files: int


@dataclass(frozen=True)
class _Pools:
    first: tuple[str, ...]
    last: tuple[str, ...]
    companies: tuple[str, ...]
    slugs: dict[str, str]  # each pooled name's `_slug`, computed once


def _pools(seed: int) -> _Pools:
    first: list[str] = []
    last: list[str] = []
    companies: list[str] = []
    for n, locale in enumerate(_LOCALES):
        fake = Faker(locale)
        fake.seed_instance(seed + n)
        first += [fake.first_name() for _ in range(_POOL)]
        last += [fake.last_name() for _ in range(_POOL)]
        companies += [fake.last_name() for _ in range(_POOL // 4)]
    slugs = {name: _slug(name) for name in (*first, *last)}
    return _Pools(tuple(first), tuple(last), tuple(dict.fromkeys(companies)), slugs)


def _slug(text: str) -> str:
    """An address-safe ASCII form of a name (accents folded; kanji dropped)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


def _days_ago(rng: random.Random, now: datetime, low: int, high: int) -> datetime:
    """A moment between `low` and `high` days before `now` (random.randint is slow at 10^5)."""
    return now - timedelta(days=low + (high - low) * rng.random())


def _rfc2822(when: datetime) -> str:
    utc = when.astimezone(UTC)
    return (
        f"{_WEEKDAYS[utc.weekday()]}, {utc.day:02d} {_MONTHS[utc.month - 1]} {utc.year} "
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d} +0000"
    )


def _raw(sender: str, to: str, subject: str, body: str, when: datetime, n: int) -> bytes:
    # A template, not EmailMessage: 200,000 messages must be built in seconds.
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Date: {_rfc2822(when)}\r\nMessage-ID: <scale-{n}@{sender.partition('@')[2]}>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    ).encode()


def _add_companies(workspace: Workspace, rng: random.Random, pools: _Pools, count: int) -> None:
    now = workspace.started_at
    for c in range(count):
        company_id = str(SCALE_COMPANY_BASE + c)
        name = f"{rng.choice(pools.companies)} {rng.choice(_TOPICS).split()[0].title()} {c + 1}"
        created = _days_ago(rng, now, 30, 900)
        stamp = utc_timestamp(created, millis=True)
        properties: dict[str, str | None] = {
            "name": name, "domain": f"{_slug(name) or f'company{c + 1}'}.example",
            "lifecyclestage": rng.choice(_STAGES), "hs_object_id": company_id,
            "createdate": stamp, "hs_lastmodifieddate": stamp,
        }  # fmt: skip
        workspace.crm.insert(CrmObject("companies", company_id, properties, created, created))


def _add_contacts(
    workspace: Workspace, rng: random.Random, pools: _Pools, count: int, companies: int
) -> list[tuple[str, str, str]]:
    """Contacts, each with a primary company; (email, full name, company name) of each."""
    now, people = workspace.started_at, []
    for n in range(count):
        contact_id = str(SCALE_CONTACT_BASE + n)
        company_id = str(SCALE_COMPANY_BASE + n % companies)
        company = workspace.crm.objects["companies"][company_id].properties
        first, last = rng.choice(pools.first), rng.choice(pools.last)
        local = ".".join(filter(None, (pools.slugs[first], pools.slugs[last]))) or "contact"
        email = f"{local}.{n + 1}@{company['domain']}"
        created = _days_ago(rng, now, 1, 800)
        stamp = utc_timestamp(created, millis=True)
        properties: dict[str, str | None] = {
            "firstname": first, "lastname": last, "email": email, "company": company["name"],
            "associatedcompanyid": company_id, "lifecyclestage": rng.choice(_STAGES),
            "hs_object_id": contact_id, "createdate": stamp, "lastmodifieddate": stamp,
        }  # fmt: skip
        link = Association("contacts", contact_id, "companies", company_id, PRIMARY_COMPANY)
        workspace.crm.insert(
            CrmObject("contacts", contact_id, properties, created, created), [link]
        )
        people.append((email, f"{first} {last}", company["name"] or ""))
    return people


def _add_messages(
    workspace: Workspace, rng: random.Random, people: list[tuple[str, str, str]]
) -> int:
    """Two messages per contact: their question and the operator's answer, one thread."""
    operator, now = workspace.operator.email, workspace.started_at
    gmail = workspace.gmail
    for n, (email, name, company) in enumerate(people):
        topic = rng.choice(_TOPICS)
        asked = _days_ago(rng, now, 8, 700)
        question = f"Hi,\n\nCould you share how you approach {topic} at {company}?\n\n{name}"
        first = gmail.add(
            _raw(email, operator, f"{topic.capitalize()}", question, asked, 2 * n),
            thread_id=None,
            label_ids=["INBOX"],
            internal_date=asked,
        )
        answered = asked + timedelta(hours=2 + 46 * rng.random())
        answer = f"Hi {name.split()[0]},\n\nHappy to. A short note on {topic} follows.\n\nDana"
        gmail.add(
            _raw(operator, email, f"Re: {topic.capitalize()}", answer, answered, 2 * n + 1),
            thread_id=first.thread_id,
            label_ids=["SENT"],
            internal_date=answered,
        )
    return 2 * len(people)


def _add_files(workspace: Workspace, rng: random.Random, count: int, companies: int) -> None:
    drive = workspace.drive
    folder = next(i for i in drive.items.values() if i.name == _SCALE_FOLDER)
    for n in range(count):
        company = workspace.crm.objects["companies"][str(SCALE_COMPANY_BASE + n % companies)]
        topic = rng.choice(_TOPICS)
        when = _days_ago(rng, workspace.started_at, 1, 700)
        file_id = f"scale-doc-{n + 1:06d}"
        drive.items[file_id] = DriveItem(
            id=file_id,
            name=f"{company.properties['name']}: {topic} review",
            mime_type=_DOC,
            parents=(folder.id,),
            created=when,
            modified=when,
            owner=folder.owner,
            text=f"{topic.capitalize()} review for {company.properties['name']}.",
        )


def add_scale(workspace: Workspace, contacts: int, *, seed: int = 42) -> ScaleCounts:
    """Grow the seeded workspace by `contacts` generated contacts and what goes with them."""
    if not 1 <= contacts <= MAX_SCALE:
        raise ValueError(f"scale must be between 1 and {MAX_SCALE} contacts, not {contacts}")
    rng, pools = random.Random(seed), _pools(seed)
    companies = max(1, contacts // 5)
    _add_companies(workspace, rng, pools, companies)
    people = _add_contacts(workspace, rng, pools, contacts, companies)
    messages = _add_messages(workspace, rng, people)
    files = contacts // 10
    _add_files(workspace, rng, files, companies)
    return ScaleCounts(companies=companies, contacts=contacts, messages=messages, files=files)
