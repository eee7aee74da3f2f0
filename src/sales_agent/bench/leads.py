"""The leads the benchmarks send: form submissions from CRM contacts, one thread each."""

from __future__ import annotations

from collections.abc import Iterator

from sales_agent.db.crm_mirror import contacts_with_company
from sales_agent.domain import Trigger
from sales_agent.services import Services

__all__ = ["form_leads"]


def form_leads(services: Services, count: int, tag: str, message: str) -> Iterator[Trigger]:
    """`count` form triggers cycling through the CRM's contacts (with a company).

    Each message carries its own reference, so no two leads ask the same text and no cache
    can answer one lead with another's work.
    """
    with services.pool.connection() as conn:
        people = contacts_with_company(conn, limit=count)
    for i in range(count):
        yield Trigger(
            source="form",
            contact_email=people[i % len(people)].email,
            submission_id=f"bench-{tag}-{i}",
            message=f"{message} (ref {tag}-{i})",
        )
