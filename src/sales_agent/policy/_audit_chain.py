"""Check the audit log's hash chain, row by row in id order, in batches.

The hash formula lives in one place, the SQL function `audit_log_row_hash`, which the insert
trigger also calls; this module only compares. A row edited behind the append-only trigger's
back no longer matches its own hash ("content changed"); a row removed leaves the next row
pointing at a hash that is no longer its predecessor's ("chain broken"). The contact's
address is hashed as its pseudonym (`subject_ref`, see migration 0009): an address changed
behind the trigger's back no longer matches its pseudonym's, which also counts as "content
changed"; an address erased with its pseudonym (`sales-agent privacy erase`) breaks nothing.
"""

from __future__ import annotations

from typing import Literal

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

__all__ = ["GENESIS", "ChainReport", "verify_chain"]

GENESIS = "genesis"
"""The `prev_hash` of the first row (set by the insert trigger)."""

_BATCH = 1000
# The address is outside the hash (so it can be erased) but must still be the one its
# pseudonym stands for, as long as that pseudonym has not been erased.
_SELECT_BATCH = """
SELECT a.id, a.prev_hash, a.hash, audit_log_row_hash(a, a.prev_hash) AS recomputed,
       a.contact_email IS NOT NULL AND s.email IS DISTINCT FROM a.contact_email AS moved
FROM audit_log AS a LEFT JOIN audit_subjects AS s ON s.ref = a.subject_ref
WHERE a.id > %(after_id)s
ORDER BY a.id
LIMIT %(limit)s
"""


class ChainReport(BaseModel):
    """What `verify_chain` found: rows checked and, if any, the first broken row."""

    model_config = ConfigDict(frozen=True)

    rows_checked: int
    first_broken_id: int | None = None
    problem: Literal["content changed", "chain broken"] | None = None
    detail: str = ""

    @property
    def intact(self) -> bool:
        """True when every row matched its hash and its predecessor's."""
        return self.first_broken_id is None


def verify_chain(conn: Connection[DictRow], *, batch_size: int = _BATCH) -> ChainReport:
    """Recompute every row's hash and follow the chain; stop at the first broken row.

    Rows appended while this runs are checked too (the walk goes on until no row is left).
    """
    expected_prev, checked, after_id = GENESIS, 0, 0
    while True:
        rows = conn.execute(_SELECT_BATCH, {"after_id": after_id, "limit": batch_size}).fetchall()
        for row in rows:
            checked += 1
            if row["recomputed"] != row["hash"] or row["moved"]:
                return ChainReport(
                    rows_checked=checked,
                    first_broken_id=row["id"],
                    problem="content changed",
                    detail="the row no longer matches the hash it was stored with",
                )
            if row["prev_hash"] != expected_prev:
                return ChainReport(
                    rows_checked=checked,
                    first_broken_id=row["id"],
                    problem="chain broken",
                    detail="its previous hash is not the hash of the row before it"
                    " (a row before it was removed or altered)",
                )
            expected_prev = row["hash"]
        if len(rows) < batch_size:
            return ChainReport(rows_checked=checked)
        after_id = int(rows[-1]["id"])
