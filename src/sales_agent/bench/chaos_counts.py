"""What a chaos run left behind, counted from the database and the sandbox's own records.

Duplicates are counted where they would hurt: Gmail drafts in the sandbox mailbox (by the
idempotency token each draft carries in a header), HubSpot notes in the sandbox CRM (by the
reference token each note carries), sends in the send ledger. A trigger is lost when its
delivered event has no run that reached the approval, finished, or failed with a recorded
reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import psycopg
from psycopg.rows import dict_row

__all__ = ["EventRun", "Leftovers", "count_leftovers", "event_runs"]

_KEY_HEADER = "x-sales-agent-key"
_NOTE_TOKEN = re.compile(r"\((ref[0-9a-f]{24})\)")
_EVENT_RUNS = """
SELECT metadata->>'hubspot_event_id' AS event_id, status, error, created_at, updated_at
FROM runs WHERE metadata ? 'hubspot_event_id'
"""
_SENDS = """
SELECT count(*) FILTER (WHERE status = 'sent') AS sent,
       count(*) - count(DISTINCT idempotency_key) AS duplicate_keys
FROM send_ledger
"""
# More than one live reservation for a contact in a week: the per-contact quota is 1 in 7 days.
_OVERRUNS = """
SELECT count(*) AS n FROM (
    SELECT contact_email FROM send_ledger WHERE status <> 'released'
    GROUP BY contact_email, date_trunc('week', reserved_at) HAVING count(*) > 1
) over_quota
"""
SETTLED = frozenset({"interrupted", "success", "error", "timeout", "cancelled"})


@dataclass(frozen=True)
class EventRun:
    """The run a delivered event queued, as the database has it."""

    event_id: str
    status: str
    error: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Leftovers:
    """Drafts, duplicates and quota overruns after the load drained."""

    drafts: int
    duplicate_drafts: int
    notes: int
    duplicate_notes: int
    sends: int
    duplicate_sends: int
    quota_overruns: int


def event_runs(database_url: str) -> dict[str, list[EventRun]]:
    """Every run a HubSpot event queued, by event id."""
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        rows = conn.execute(_EVENT_RUNS).fetchall()
    found: dict[str, list[EventRun]] = {}
    for row in rows:
        found.setdefault(str(row["event_id"]), []).append(EventRun(**row))
    return found


def _pages(url: str, params: Mapping[str, Any], items: str) -> Iterator[dict[str, Any]]:
    """Every item of a paged sandbox listing (Gmail's pageToken or HubSpot's after)."""
    query = dict(params)
    while True:
        page = httpx.get(url, params=query, timeout=30).json()
        yield from page.get(items, [])
        token = page.get("nextPageToken") or page.get("paging", {}).get("next", {}).get("after")
        if not token:
            return
        query["pageToken" if "nextPageToken" in page else "after"] = token


def _draft_tokens(sandbox_url: str) -> Counter[str]:
    base = f"{sandbox_url}/gmail/v1/users/me"
    tokens: Counter[str] = Counter()
    for draft in _pages(f"{base}/drafts", {"maxResults": 500}, "drafts"):
        message = httpx.get(
            f"{base}/messages/{draft['message']['id']}",
            params={"format": "metadata", "metadataHeaders": "X-Sales-Agent-Key"},
            timeout=30,
        ).json()
        for header in message["payload"]["headers"]:
            if header["name"].lower() == _KEY_HEADER:
                tokens[header["value"].strip()] += 1
    return tokens


def _note_tokens(sandbox_url: str) -> Counter[str]:
    url = f"{sandbox_url}/crm/v3/objects/notes"
    tokens: Counter[str] = Counter()
    for note in _pages(url, {"limit": 100, "properties": "hs_note_body"}, "results"):
        tokens.update(set(_NOTE_TOKEN.findall(note["properties"].get("hs_note_body") or "")))
    return tokens


def _extra(counts: Counter[str]) -> int:
    return sum(count - 1 for count in counts.values())


def count_leftovers(sandbox_url: str, database_url: str) -> Leftovers:
    """Count what the load produced, outside any fault (call it with the faults cleared)."""
    drafts, notes = _draft_tokens(sandbox_url), _note_tokens(sandbox_url)
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        sends = conn.execute(_SENDS).fetchone()
        overruns = conn.execute(_OVERRUNS).fetchone()
    assert sends is not None and overruns is not None
    return Leftovers(
        drafts=len(drafts),
        duplicate_drafts=_extra(drafts),
        notes=len(notes),
        duplicate_notes=_extra(notes),
        sends=int(sends["sent"]),
        duplicate_sends=int(sends["duplicate_keys"]),
        quota_overruns=int(overruns["n"]),
    )
