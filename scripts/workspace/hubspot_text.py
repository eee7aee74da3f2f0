"""Words for the HubSpot section: form messages, note and task texts, brand-new leads.

Kept apart from the generator so the data reads as data. Placeholders are
`str.format` names filled from the cast (`{company}`, `{city}`, `{first}`).
"""

from __future__ import annotations

from scripts.workspace.cast import Cast, Contact

__all__ = [
    "CONTACT_FORM_MESSAGES",
    "NEW_LEADS",
    "NOTE_TEXTS",
    "REPORT_FORM_MESSAGES",
    "TASK_TEXTS",
    "words_for",
]

CONTACT_FORM_MESSAGES = [
    "We are growing faster than our processes in {city}. Could we talk about where the "
    "time goes between order and dispatch?",
    "Our pick rates dropped after we moved sites. Looking for someone who has fixed this before.",
    "Saw your talk on flow-based operations. Would love a short call about {company}.",
    "Can you share pricing for an operations review? We have about {employees} staff.",
    "We have a board meeting next month and need a clear plan for the warehouse. Are you free "
    "to talk this week?",
    "Inventory accuracy is our biggest headache at the moment. Is this something you help with?",
    "A colleague recommended you. We are reviewing our supply chain before peak season.",
    "Interested in your process mapping workshop for our {city} team.",
    "Could you send some case studies from {industry} companies?",
    "Hola, somos un equipo pequeño y queremos mejorar la planificación. ¿Trabajáis en español?",
]
REPORT_FORM_MESSAGES = [
    "",
    "Keen to compare our numbers with the benchmark.",
    "Sharing this with our operations leadership.",
    "",
    "Does the report cover cold chain sites?",
]
NOTE_TEXTS = [
    "Intro call with {first}. Main pain: orders wait in staging. Follow up with a short proposal.",
    "{first} asked for references from similar {industry} companies.",
    "Sent the benchmark report. {first} will share it with the leadership team.",
    "Quarterly check-in: {company} is happy with the new dispatch flow.",
    "{first} is away until the end of the month; try again after.",
    "Budget for next year is being set now. {first} wants numbers by Friday.",
    "Workshop in {city} went well. Agreed next steps on inventory accuracy.",
]
# (subject, body, type, priority)
TASK_TEXTS = [
    ("Send proposal to {first}", "Two options, fixed price, start in four weeks.", "EMAIL", "HIGH"),
    ("Call {first} about the review", "Check the timeline and who signs off.", "CALL", "MEDIUM"),
    ("Share case study with {company}", "The cross-dock one from last year.", "EMAIL", "LOW"),
    ("Book workshop in {city}", "Half a day with the shift leads.", "TODO", "MEDIUM"),
    ("Renewal conversation with {first}", "Contract ends next quarter.", "CALL", "HIGH"),
]
# People who fill in a form but are not in the CRM yet: first, last, company, email.
NEW_LEADS = [
    ("Ellie", "Marsden", "Bramble Freight", "ellie@bramblefreight.example"),
    ("Arjun", "Mehta", "Keystone Cold Store", "arjun@keystonecold.example"),
    ("Sinéad", "O'Connor", "Harbourside Distribution", "sinead@harbourside-dist.example"),
    ("Felix", "Bauer", "Lindenhof Versand", "felix@lindenhof-versand.example"),
    ("Maya", "Goldberg", "Parcelpoint", "maya@parcelpoint.example"),
    ("Owen", "Pryce", "Valley Fresh Produce", "owen@valleyfresh.example"),
    ("Leila", "Farouk", "Meridian Home Goods", "leila@meridianhome.example"),
    ("Jonas", "Berg", "Nordkapp Trading", "jonas@nordkapptrading.example"),
]


def words_for(contact: Contact, cast: Cast) -> dict[str, str]:
    """The placeholders a template can use for this contact."""
    company = cast.company(contact.company_id)
    return {
        "first": contact.first_name,
        "company": company.name,
        "city": company.city,
        "industry": company.industry,
        "employees": str(company.employees),
    }
