"""`privacy erase EMAIL --reason R`: no table or index holds the person's address or name.

What goes: their drafts, runs, ledger entries and threads (checkpoints included), the
operator's memories of them, the indexed mail and Drive chunks that mention them. What stays,
without them: audit events (address erased, the chain intact: see migration 0009), sends
counted in the quotas (address replaced by its keyed hash) and their suppression (kept for
good, by keyed hash, so they are never written to again). The erasure is audited without
the address: the event carries the keyed hash, enough to answer "was this person erased?".
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict

from sales_agent.jobs.followup_runs import checkpointer
from sales_agent.policy.audit import record_change
from sales_agent.policy.suppression import suppress_erased
from sales_agent.privacy._places import PLACES, existing, subject_for
from sales_agent.services import Services

__all__ = ["ErasureReport", "erase_subject"]

logger = logging.getLogger(__name__)

_ERASE_AUDIT_ADDRESS = "UPDATE audit_log SET contact_email = NULL WHERE contact_email = %(email)s"
_FORGET_PSEUDONYM = "DELETE FROM audit_subjects WHERE email = %(email)s"
_HASH_SENDS = """
UPDATE send_ledger SET contact_email = 'erased:' || erased_address_hash(%(email)s)
WHERE contact_email = %(email)s
"""
# Vacuumed after the erasure, so the deleted rows' old versions and index entries go too.
_VACUUMED = ["audit_log", "audit_subjects", "suppressions", "send_ledger"]
_CHECKPOINT_TABLES = ["checkpoints", "checkpoint_blobs", "checkpoint_writes"]


class ErasureReport(BaseModel):
    """What an erasure removed or rewrote, per table (counts only: nothing personal)."""

    model_config = ConfigDict(frozen=True)

    erased_hash: str
    threads: int
    removed: dict[str, int]
    audit_events_erased: int
    sends_pseudonymised: int


def erase_subject(services: Services, email: str, *, actor: str, reason: str) -> ErasureReport:
    """Erase the person at `email` everywhere in our database; audited `subject_erased`.

    Idempotent: erasing again finds nothing more to remove and keeps the suppression.
    """
    with services.pool.connection() as conn:
        subject = subject_for(services, conn, email)
    saver = checkpointer(services)
    for thread_id in subject.threads:  # first: a failure below leaves the threads findable
        saver.delete_thread(thread_id)
    params = subject.params()
    with services.pool.connection() as conn:
        present = existing(conn, [place.table for place in PLACES])
        with conn.transaction():
            removed = {
                place.table: conn.execute(
                    f"DELETE FROM {place.table} WHERE {place.where}", params
                ).rowcount
                for place in PLACES
                if place.table in present
            }
            audit = conn.execute(_ERASE_AUDIT_ADDRESS, params).rowcount
            conn.execute(_FORGET_PSEUDONYM, params)
            sends = conn.execute(_HASH_SENDS, params).rowcount
            entry = suppress_erased(conn, email=subject.email, actor=actor)
            report = ErasureReport(
                erased_hash=entry.value,
                threads=len(subject.threads),
                removed=removed,
                audit_events_erased=audit,
                sends_pseudonymised=sends,
            )
            record_change(
                conn,
                actor=actor,
                action="subject_erased",
                reason=reason,
                metadata=report.model_dump(),
            )
        tables = [*present, *_VACUUMED, *existing(conn, _CHECKPOINT_TABLES)]
        conn.execute(f"VACUUM {', '.join(sorted(tables))}")
    logger.info("erased a subject: %d threads, %s", report.threads, report.removed)
    return report
