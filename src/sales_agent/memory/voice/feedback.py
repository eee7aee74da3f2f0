"""Learning from edits: the phrases an operator removes from or adds to a draft.

An edit is stored as its redacted diff (word n-grams removed and added), never as text. A
refresh counts the diffs: a phrase removed in at least two edits goes to `avoid_phrases`
(and out of the writer's choices), one added in at least two to `prefer_phrases`. The rest of
the profile is untouched: a refresh is a targeted update, not a re-learn.
"""

from __future__ import annotations

from collections import Counter

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

from sales_agent.domain.voice import VoiceProfile, default_voice_profile
from sales_agent.memory.voice.compose import choose
from sales_agent.memory.voice.patterns import email_ngrams
from sales_agent.memory.voice.store import load_stored_profile, save_profile
from sales_agent.policy.pii import Redactor

__all__ = [
    "MIN_EDITS",
    "EditDiff",
    "apply_feedback",
    "edit_diff",
    "phrase_votes",
    "record_edit",
    "refresh_profile",
]

MIN_EDITS = 2
_MAX_PHRASES = 200

_INSERT = """
INSERT INTO voice_feedback (operator_email, draft_id, thread_id, removed_phrases, added_phrases)
VALUES (%(operator)s, %(draft_id)s, %(thread_id)s, %(removed)s, %(added)s)
ON CONFLICT (operator_email, thread_id, draft_id) DO UPDATE
SET removed_phrases = EXCLUDED.removed_phrases, added_phrases = EXCLUDED.added_phrases,
    applied_in_version = NULL"""
_ALL = """
SELECT removed_phrases, added_phrases FROM voice_feedback WHERE operator_email = %(operator)s"""
_PENDING = """
SELECT count(*) AS n FROM voice_feedback
WHERE operator_email = %(operator)s AND applied_in_version IS NULL"""
_MARK_APPLIED = """
UPDATE voice_feedback SET applied_in_version = %(version)s
WHERE operator_email = %(operator)s AND applied_in_version IS NULL"""


class EditDiff(BaseModel):
    """The phrases (2-4 word n-grams, redacted) an edit removed and added."""

    model_config = ConfigDict(frozen=True)

    removed: tuple[str, ...]
    added: tuple[str, ...]


def edit_diff(original: str, edited: str, redactor: Redactor) -> EditDiff:
    """What the operator took out of and put into a draft, PII redacted first."""
    before = email_ngrams(redactor.redact(original))
    after = email_ngrams(redactor.redact(edited))
    return EditDiff(
        removed=tuple(sorted(before - after))[:_MAX_PHRASES],
        added=tuple(sorted(after - before))[:_MAX_PHRASES],
    )


def record_edit(
    conn: Connection[DictRow], *, operator_email: str, draft_id: str, thread_id: str, diff: EditDiff
) -> None:
    """Store one edit's diff (a re-run of the same edit replaces it, so it counts once)."""
    conn.execute(
        _INSERT,
        {
            "operator": operator_email.lower(),
            "draft_id": draft_id,
            "thread_id": thread_id,
            "removed": list(diff.removed),
            "added": list(diff.added),
        },
    )


def phrase_votes(
    conn: Connection[DictRow], operator_email: str
) -> tuple[Counter[str], Counter[str]]:
    """(edits that removed each phrase, edits that added each phrase), over all feedback."""
    removed: Counter[str] = Counter()
    added: Counter[str] = Counter()
    for row in conn.execute(_ALL, {"operator": operator_email.lower()}):
        removed.update(set(row["removed_phrases"]))
        added.update(set(row["added_phrases"]))
    return removed, added


def apply_feedback(
    profile: VoiceProfile, removed: Counter[str], added: Counter[str]
) -> VoiceProfile:
    """`profile` with avoid / prefer phrases from the votes and its choices filtered."""
    avoid = sorted(p for p, n in removed.items() if n >= MIN_EDITS and added[p] < n)
    prefer = sorted(p for p, n in added.items() if n >= MIN_EDITS and removed[p] < n)
    default = default_voice_profile()
    update: dict[str, object] = {"avoid_phrases": tuple(avoid), "prefer_phrases": tuple(prefer)}
    for name in ("openers", "value_lines", "cta_templates"):
        kept = choose(getattr(profile, name), avoid=avoid, prefer=prefer)
        update[name] = kept or choose(getattr(default, name), avoid=avoid) or getattr(profile, name)
    return profile.model_copy(update=update)


def refresh_profile(conn: Connection[DictRow], operator_email: str, *, actor: str) -> VoiceProfile:
    """Apply pending edit feedback to the stored profile as a new version (or return it)."""
    current = load_stored_profile(conn, operator_email)
    base = current or default_voice_profile().model_copy(
        update={"operator_email": operator_email.lower()}
    )
    row = conn.execute(_PENDING, {"operator": operator_email.lower()}).fetchone()
    if row is None or row["n"] == 0:
        return base
    stored = save_profile(
        conn, apply_feedback(base, *phrase_votes(conn, operator_email)), actor=actor
    )
    conn.execute(_MARK_APPLIED, {"operator": operator_email.lower(), "version": stored.version})
    return stored
