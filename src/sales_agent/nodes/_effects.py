"""Keys and helpers for the run's external writes: each keyed by thread, step and version.

The version is the draft version (bumped when a newer message supersedes the draft or the
operator asks for a rewrite), so a re-run of the same step reuses its result while a new
version writes anew.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from html import escape

from sales_agent.db.side_effects import run_once
from sales_agent.domain import ResolvedIdentity
from sales_agent.services import Services

__all__ = ["create_crm_task", "effect_key", "reference_line", "reference_token"]


def effect_key(thread_id: str, step: str, version: int) -> str:
    """The ledger key of one external write (also written into the object as a reference)."""
    return f"{thread_id}:{step}:{version}"


def reference_token(key: str) -> str:
    """One searchable word standing for `key` (CRM search matches whole tokens)."""
    return "ref" + hashlib.sha256(key.encode()).hexdigest()[:24]


def reference_line(key: str) -> str:
    """The line a note or task carries so a retried run can find it by its key."""
    return f"Reference: {escape(key)} ({reference_token(key)})"


def create_crm_task(
    services: Services,
    *,
    key: str,
    thread_id: str,
    identity: ResolvedIdentity,
    subject: str,
    body: str,
    due: datetime,
) -> str:
    """Create a HubSpot task on the contact, company and deal (those known) once per key.

    A lead who is not a HubSpot contact yet still gets the task (on the company when known):
    a retried run finds it by its reference token instead of the contact's tasks.
    """
    contact_id = identity.contact_id
    hubspot = services.connectors.hubspot
    reference = reference_line(key)
    text = f"{escape(body)}\n\n{reference}"
    result = run_once(
        services.pool,
        key=key,
        kind="crm_task",
        thread_id=thread_id,
        call=lambda: {
            "task_id": hubspot.create_task(
                subject,
                text,
                due,
                contact_id=contact_id,
                company_id=identity.company_id,
                deal_id=identity.deal_id,
            )
        },
        recover=lambda: (
            {"task_id": found}
            if (
                found := hubspot.find_task_containing(contact_id, reference)
                if contact_id
                else hubspot.find_task_with_token(reference_token(key))
            )
            else None
        ),
    )
    return str(result["task_id"])
