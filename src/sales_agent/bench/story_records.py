"""The story benchmark's database half: targeting's reads of our own records, at scale.

A throwaway database gets a history for the generated contacts (follow-up drafts awaiting
approval or approved, live sequences, suppressions, earlier story pitches, sends in the
ledger, replies as email events: a few percent of the contacts each), then targeting's
set-based reads (`nodes._story_facts.stored_facts`) are timed for all of them at once.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Sequence

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.bench.story import NOW
from sales_agent.db.stories import insert_campaign
from sales_agent.domain.story import StoryContact
from sales_agent.nodes._story_facts import stored_facts

__all__ = ["seed_history", "time_stored_facts"]

# Each statement takes every Nth address of the candidates (`%(emails)s`), so the
# history covers a fixed share of them and is the same for the same contacts.
_SEED = (
    """INSERT INTO drafts (thread_id, status, contact_email, subject, body, updated_at)
    SELECT 'bench:' || n, CASE WHEN n %% 2 = 0 THEN 'pending_approval' ELSE 'approved' END,
           email, 'Hello', 'Hello', %(now)s - (n %% 60) * interval '1 day'
    FROM unnest(%(emails)s::text[]) WITH ORDINALITY AS e(email, n) WHERE n %% 17 = 0""",
    """INSERT INTO sequences (contact_email, gmail_thread_id, origin_thread_id, status,
                              touches_done, max_touches, cadence_days, last_touch_at)
    SELECT email, 'bench:' || n, 'bench:' || n, 'active', 1, 3, '{3,5,7}', %(now)s
    FROM unnest(%(emails)s::text[]) WITH ORDINALITY AS e(email, n) WHERE n %% 29 = 0""",
    """INSERT INTO suppressions (kind, value, reason, source, created_at, created_by,
                                 expires_at)
    SELECT 'email', email, 'OPT_OUT', 'bench', %(now)s, 'bench', %(now)s + interval '1 year'
    FROM unnest(%(emails)s::text[]) WITH ORDINALITY AS e(email, n) WHERE n %% 43 = 0""",
    """INSERT INTO story_pitches (story_id, contact_email, execution_id, status, subject, body,
                                  rank_score, created_at, updated_at)
    SELECT %(story_id)s, email, 'bench', 'sent', 'Hello', 'Hello', 0.5,
           %(now)s - (n %% 90) * interval '1 day', %(now)s - (n %% 90) * interval '1 day'
    FROM unnest(%(emails)s::text[]) WITH ORDINALITY AS e(email, n) WHERE n %% 11 = 0""",
    """INSERT INTO send_ledger (idempotency_key, kind, contact_email, status, reserved_at,
                                sent_at)
    SELECT 'bench:' || n, 'followup', email, 'sent', %(now)s - (n %% 30) * interval '1 day',
           %(now)s - (n %% 30) * interval '1 day'
    FROM unnest(%(emails)s::text[]) WITH ORDINALITY AS e(email, n) WHERE n %% 13 = 0""",
    """INSERT INTO email_events (event_key, kind, occurred_at, contact_email, source)
    SELECT 'bench:' || n, 'replied', %(now)s - (n %% 200) * interval '1 day', email, 'bench'
    FROM unnest(%(emails)s::text[]) WITH ORDINALITY AS e(email, n) WHERE n %% 7 = 0""",
)


def seed_history(conn: Connection[DictRow], contacts: Sequence[StoryContact]) -> str:
    """Give a share of `contacts` a history with us; the id of the story to rank them for."""
    earlier = insert_campaign(
        conn, values={"name": "Earlier", "key_message": "K", "cta": "C?"}, created_by="bench"
    )
    params = {"emails": [c.email for c in contacts], "now": NOW, "story_id": earlier.id}
    with conn.transaction():
        for statement in _SEED:
            conn.execute(statement, params)
    story = insert_campaign(
        conn,
        values={"name": f"Bench {uuid.uuid4().hex[:6]}", "key_message": "K", "cta": "C?"},
        created_by="bench",
    )
    return story.id


def time_stored_facts(
    conn: Connection[DictRow], contacts: Sequence[StoryContact], *, story_id: str, runs: int
) -> float:
    """The median seconds targeting takes to read our records of every contact."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        stored_facts(conn, contacts, story_id=story_id, now=NOW)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
