"""The story tables: campaigns (`story_campaigns`) and their pitches (`story_pitches`).

A pitch row is unique per (story, contact): `claim_pitch` inserts it once and answers
whether this execution owns it, which is what keeps a rerun from pitching anyone twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from sales_agent.domain.story import PitchStatus, StoryCampaign

__all__ = [
    "CAMPAIGN_FIELDS",
    "ContactRecord",
    "claim_pitch",
    "contact_records",
    "get_campaign",
    "insert_campaign",
    "list_campaigns",
    "list_pitches",
    "update_campaign",
    "update_pitch",
]

CAMPAIGN_FIELDS = (
    "name",
    "theme",
    "target_persona",
    "target_industry",
    "key_message",
    "cta",
    "cta_kind",
    "asset_ids",
    "active",
)
_COLUMNS = f"id::text AS id, {', '.join(CAMPAIGN_FIELDS)}, created_by, created_at, updated_at"
_INSERT = f"""
INSERT INTO story_campaigns (name, theme, target_persona, target_industry, key_message, cta,
                             cta_kind, asset_ids, created_by)
VALUES (%(name)s, %(theme)s, %(target_persona)s, %(target_industry)s, %(key_message)s,
        %(cta)s, %(cta_kind)s, %(asset_ids)s, %(created_by)s)
RETURNING {_COLUMNS}
"""
_GET = f"SELECT {_COLUMNS} FROM story_campaigns WHERE id = %(id)s"
_LIST = f"""
SELECT {_COLUMNS} FROM story_campaigns
WHERE %(include_archived)s OR active
ORDER BY created_at DESC, id
"""
# Each column keeps its value unless the update names it (a flag per column, so a value may
# also be set back to NULL).
_UPDATE = f"""
UPDATE story_campaigns SET
    {
    ", ".join(
        f"{name} = CASE WHEN %(set_{name})s THEN %({name})s ELSE {name} END"
        for name in CAMPAIGN_FIELDS
    )
},
    updated_at = now()
WHERE id = %(id)s
RETURNING {_COLUMNS}
"""
_CLAIM = """
INSERT INTO story_pitches (story_id, contact_email, execution_id, status, subject, body,
                           rank_score, rank_reason, gate, created_at, updated_at)
VALUES (%(story_id)s, %(email)s, %(execution_id)s, 'pending_approval', %(subject)s, %(body)s,
        %(rank_score)s, %(rank_reason)s, %(gate)s, %(now)s, %(now)s)
ON CONFLICT (story_id, contact_email) DO NOTHING
RETURNING id::text AS id
"""
_OWNER = """
SELECT id::text AS id, execution_id FROM story_pitches
WHERE story_id = %(story_id)s AND contact_email = %(email)s
"""
_UPDATE_PITCH = """
UPDATE story_pitches SET status = coalesce(%(status)s, status),
    subject = coalesce(%(subject)s, subject), body = coalesce(%(body)s, body),
    gmail_draft_id = coalesce(%(gmail_draft_id)s, gmail_draft_id),
    crm_note_id = coalesce(%(crm_note_id)s, crm_note_id),
    sent_message_id = coalesce(%(sent_message_id)s, sent_message_id),
    outcome_reason = coalesce(%(outcome_reason)s, outcome_reason),
    updated_at = now()
WHERE story_id = %(story_id)s AND contact_email = %(email)s
"""
_LIST_PITCHES = """
SELECT id::text AS id, story_id::text AS story_id, contact_email, execution_id, status,
       subject, body, rank_score, rank_reason, gate, gmail_draft_id, crm_note_id,
       sent_message_id, outcome_reason, created_at, updated_at
FROM story_pitches
WHERE story_id = %(story_id)s
  AND (%(execution_id)s::text IS NULL OR execution_id = %(execution_id)s)
ORDER BY rank_score DESC, contact_email
"""
# Everything our own tables know of the candidates, in one statement for the whole set:
# our last message to each (an approved or sent follow-up, a send in the ledger, an approved
# or sent story pitch), their earlier stories (and whether this one), an open follow-up (a
# draft awaiting approval), the live sequence they are in, and replies and meetings recorded
# as email events.
_CANDIDATES = """
WITH candidates AS (SELECT DISTINCT unnest(%(emails)s::text[]) AS email),
touches AS (
    SELECT lower(contact_email) AS email, updated_at AS touched FROM drafts
    WHERE status IN ('approved', 'edited', 'sent')
    UNION ALL
    SELECT contact_email, coalesce(sent_at, reserved_at) FROM send_ledger
    WHERE status <> 'released'
    UNION ALL
    SELECT contact_email, updated_at FROM story_pitches
    WHERE status IN ('approved', 'edited', 'sent')
)
SELECT c.email, t.touched, coalesce(h.stories, 0) AS stories, h.last_story_at,
       coalesce(h.this_story, false) AS this_story, f.email IS NOT NULL AS open_followup,
       q.id AS sequence_id, q.status AS sequence_status, q.touches_done, q.max_touches,
       coalesce(e.replies, 0) AS replies, coalesce(e.meetings, 0) AS meetings
FROM candidates c
LEFT JOIN (SELECT email, max(touched) AS touched FROM touches GROUP BY email) t
    ON t.email = c.email
LEFT JOIN (
    SELECT contact_email AS email, count(*) AS stories, max(created_at) AS last_story_at,
           bool_or(story_id = %(story_id)s) AS this_story
    FROM story_pitches WHERE status <> 'blocked' GROUP BY contact_email
) h ON h.email = c.email
LEFT JOIN (
    SELECT DISTINCT lower(contact_email) AS email FROM drafts WHERE status = 'pending_approval'
) f ON f.email = c.email
LEFT JOIN (
    SELECT lower(contact_email) AS email, id, status, touches_done, max_touches
    FROM sequences WHERE status IN ('active', 'paused')
) q ON q.email = c.email
LEFT JOIN (
    SELECT lower(contact_email) AS email,
           count(*) FILTER (WHERE kind = 'replied') AS replies,
           count(*) FILTER (WHERE kind = 'meeting_booked') AS meetings
    FROM email_events WHERE contact_email IS NOT NULL GROUP BY 1
) e ON e.email = c.email
"""


def _campaign(row: DictRow) -> StoryCampaign:
    return StoryCampaign.model_validate({**row, "asset_ids": tuple(row["asset_ids"])})


def insert_campaign(
    conn: Connection[DictRow], *, values: dict[str, Any], created_by: str
) -> StoryCampaign:
    """Store a new campaign (active) and return it."""
    params = {name: values.get(name) for name in CAMPAIGN_FIELDS}
    params.update(
        theme=values.get("theme") or "",
        cta_kind=values.get("cta_kind") or "reply",
        asset_ids=list(values.get("asset_ids") or ()),
        created_by=created_by,
    )
    row = conn.execute(_INSERT, params).fetchone()
    assert row is not None
    return _campaign(row)


def get_campaign(conn: Connection[DictRow], story_id: str) -> StoryCampaign | None:
    """The campaign, or None (also for an id that is not a UUID)."""
    try:
        uuid.UUID(story_id)
    except ValueError:
        return None
    row = conn.execute(_GET, {"id": story_id}).fetchone()
    return _campaign(row) if row is not None else None


def list_campaigns(
    conn: Connection[DictRow], *, include_archived: bool = False
) -> list[StoryCampaign]:
    """Campaigns, newest first; archived ones only when asked."""
    rows = conn.execute(_LIST, {"include_archived": include_archived}).fetchall()
    return [_campaign(row) for row in rows]


def update_campaign(
    conn: Connection[DictRow], story_id: str, changes: dict[str, Any]
) -> StoryCampaign | None:
    """Change the named fields (others stay); None when there is no such campaign."""
    params: dict[str, Any] = {"id": story_id}
    for name in CAMPAIGN_FIELDS:
        value = changes.get(name)
        params[f"set_{name}"] = name in changes
        params[name] = list(value) if name == "asset_ids" and value is not None else value
    if get_campaign(conn, story_id) is None:
        return None
    row = conn.execute(_UPDATE, params).fetchone()
    return _campaign(row) if row is not None else None


def claim_pitch(
    conn: Connection[DictRow],
    *,
    story_id: str,
    email: str,
    execution_id: str,
    subject: str,
    body: str,
    rank_score: float,
    rank_reason: str,
    gate: dict[str, Any],
    now: datetime,
) -> bool:
    """Record the pitch as this execution's; False when another execution pitched them first.

    The same execution claiming again (a retried node) gets True: the row is already its own.
    """
    params = {
        "story_id": story_id,
        "email": email.lower(),
        "execution_id": execution_id,
        "subject": subject,
        "body": body,
        "rank_score": rank_score,
        "rank_reason": rank_reason,
        "gate": Jsonb(gate),
        "now": now,
    }
    if conn.execute(_CLAIM, params).fetchone() is not None:
        return True
    owner = conn.execute(_OWNER, params).fetchone()
    return owner is not None and owner["execution_id"] == execution_id


def update_pitch(
    conn: Connection[DictRow],
    *,
    story_id: str,
    email: str,
    status: PitchStatus | None,
    subject: str | None = None,
    body: str | None = None,
    gmail_draft_id: str | None = None,
    crm_note_id: str | None = None,
    sent_message_id: str | None = None,
    outcome_reason: str | None = None,
) -> None:
    """Move a pitch to `status` (None: it stays); the given fields change, the others stay."""
    conn.execute(
        _UPDATE_PITCH,
        {
            "story_id": story_id,
            "email": email.lower(),
            "status": status,
            "subject": subject,
            "body": body,
            "gmail_draft_id": gmail_draft_id,
            "crm_note_id": crm_note_id,
            "sent_message_id": sent_message_id,
            "outcome_reason": outcome_reason,
        },
    )


def list_pitches(
    conn: Connection[DictRow], *, story_id: str, execution_id: str | None = None
) -> list[dict[str, Any]]:
    """A story's pitches (one execution's when named), best ranked first."""
    rows = conn.execute(_LIST_PITCHES, {"story_id": story_id, "execution_id": execution_id})
    return [dict(row) for row in rows]


class ContactRecord(NamedTuple):
    """What our own tables know of one contact, as targeting reads it."""

    last_touch: datetime | None
    stories: int
    last_story_at: datetime | None
    this_story: bool
    open_followup: bool
    sequence: str | None
    """The live sequence they are in, said for a person (`sequence 7, active, 1 of 3 sent`)."""
    replies: int
    meetings: int


def _sequence(row: DictRow) -> str | None:
    if row["sequence_id"] is None:
        return None
    return (
        f"sequence {row['sequence_id']}, {row['sequence_status']}, "
        f"{row['touches_done']} of {row['max_touches']} follow-ups sent"
    )


def contact_records(
    conn: Connection[DictRow], *, story_id: str, emails: Sequence[str]
) -> dict[str, ContactRecord]:
    """Every candidate's record (keyed by lower-case email): one query for the whole set."""
    rows = conn.execute(
        _CANDIDATES, {"story_id": story_id, "emails": [e.lower() for e in emails]}
    ).fetchall()
    return {
        row["email"]: ContactRecord(
            last_touch=row["touched"],
            stories=int(row["stories"]),
            last_story_at=row["last_story_at"],
            this_story=row["this_story"],
            open_followup=row["open_followup"],
            sequence=_sequence(row),
            replies=int(row["replies"]),
            meetings=int(row["meetings"]),
        )
        for row in rows
    }
