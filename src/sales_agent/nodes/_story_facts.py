"""What targeting knows of each contact: the CRM's record, our tables, Gmail and the calendar.

Gathered in two steps so the costly ones run only for contacts still in the running: the
CRM and our tables for everyone, then Gmail (replies, our last sent mail) and the calendar's
meetings for the contacts that pass the cheap rules and the segment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.connectors import CalendarClient, GmailClient, HubSpotClient
from sales_agent.db.stories import contact_records
from sales_agent.domain.story import EngagementFacts, StoryContact
from sales_agent.nodes._story_pitch import pitch_identity
from sales_agent.policy.guardrails import is_allowed, load_active_rules
from sales_agent.policy.suppression import suppressed_among

__all__ = ["crm_contacts", "engagement_facts", "stored_facts"]

_PAGE = 100
_HISTORY = timedelta(days=365)
_REPLIES_COUNTED = 20


def crm_contacts(hubspot: HubSpotClient) -> list[StoryContact]:
    """Every CRM contact with an address, with their company's industry, size and stage.

    Read over the list endpoints: HubSpot's search stops at 10,000 results.
    """
    companies = {}
    after: str | None = None
    while True:
        page = hubspot.list_companies(limit=_PAGE, after=after)
        companies.update({company.id: company for company in page.results})
        if (after := page.after) is None:
            break
    contacts: list[StoryContact] = []
    while True:
        people = hubspot.list_contacts(limit=_PAGE, after=after)
        for person in people.results:
            if "@" not in person.email:
                continue
            company = companies.get(person.company_id or "")
            contacts.append(
                StoryContact(
                    email=person.email.lower(),
                    contact_id=person.id,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    job_title=person.job_title,
                    company_id=person.company_id,
                    company_name=(company.name if company else None) or person.company_name,
                    industry=company.industry if company else None,
                    employees=company.employee_count if company else None,
                    stage=company.funding_stage if company else None,
                    city=company.city if company else None,
                    lifecycle_stage=person.lifecycle_stage,
                )
            )
        if (after := people.after) is None:
            return contacts


def stored_facts(
    conn: Connection[DictRow], contacts: Sequence[StoryContact], *, story_id: str, now: datetime
) -> dict[str, EngagementFacts]:
    """Suppression, guardrails and our own records, per contact: set-based, not per contact.

    Our records are the last touch, earlier stories, an open follow-up, a live sequence and
    the replies and meetings recorded as email events (`db.stories.contact_records`).
    """
    emails = [contact.email for contact in contacts]
    rules = load_active_rules(conn)
    suppressed = suppressed_among(conn, emails, now=now)
    records = contact_records(conn, story_id=story_id, emails=emails)
    facts: dict[str, EngagementFacts] = {}
    for contact in contacts:
        # Without a rule everyone is allowed: no identity to build, ten thousand times over.
        allowed, why = is_allowed(pitch_identity(contact), rules) if rules else (True, "")
        record = records[contact.email]
        suppression = suppressed.get(contact.email)
        # Built without re-validation: every value comes typed from the database.
        facts[contact.email] = EngagementFacts.model_construct(
            replies=record.replies,
            meetings=record.meetings,
            crm_stage=contact.lifecycle_stage,
            last_touch=record.last_touch,
            stories_pitched=record.stories,
            last_story_at=record.last_story_at,
            open_followup=record.open_followup,
            sequence=record.sequence,
            suppressed=suppression.reason.value if suppression is not None else None,
            guardrail_block=None if allowed else why,
            pitched_this_story=record.this_story,
        )
    return facts


def _meetings(calendar: CalendarClient, calendar_id: str, now: datetime) -> Counter[str]:
    """How many calendar events of the last year each attendee shared with the operator."""
    events = calendar.list_events(calendar_id, now - _HISTORY, now)
    return Counter(person.email.lower() for event in events for person in event.attendees)


def _last_sent(gmail: GmailClient, email: str) -> datetime | None:
    newest = gmail.list_messages(f"in:sent to:{email}", max_results=1).messages
    return gmail.get_message(newest[0].id, format="metadata").date if newest else None


def engagement_facts(
    gmail: GmailClient,
    calendar: CalendarClient,
    *,
    calendar_id: str,
    facts: dict[str, EngagementFacts],
    now: datetime,
) -> dict[str, EngagementFacts]:
    """`facts` with replies and our last mail from Gmail, and meetings from the calendar."""
    meetings = _meetings(calendar, calendar_id, now)
    enriched = {}
    for email, known in facts.items():
        replies = gmail.list_messages(f"from:{email}", max_results=_REPLIES_COUNTED).messages
        touches = [t for t in (known.last_touch, _last_sent(gmail, email)) if t is not None]
        enriched[email] = known.model_copy(
            update={
                # Email events and Gmail see the same replies: the larger count, not the sum.
                "replies": max(len(replies), known.replies),
                "meetings": max(meetings[email], known.meetings),
                "last_touch": max(touches) if touches else None,
            }
        )
    return enriched
