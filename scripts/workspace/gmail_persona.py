"""Marcus Hale's voice, the opposite of Dana's: formal, long, exclamation marks, em-dashes.

"Dear <first name>,", long paragraphs, salesy phrases, several asks, "Kind regards,\\nMarcus
Hale" with a long signature. Voice learning must not mistake his mail for the operator's.
"""

from __future__ import annotations

import random

from scripts.workspace.cast import Company, Contact

__all__ = ["MARCUS_SIGNATURE", "marcus_email"]

MARCUS_SIGNATURE = (
    "Kind regards,\nMarcus Hale\n\nMarcus Hale\nSenior Growth Partner \u2014 Brightline Growth\n"
    "T: +44 161 496 0550 | M: +44 7700 900 418\nbrightlinegrowth.example\n"
    "Helping ambitious businesses unlock their full potential!"
)
_DASH = "\u2014"

_SUBJECTS = [
    "Unlocking growth at {company}!",
    "{company} {dash} a game-changing opportunity",
    "Following up {dash} exciting next steps for {company}",
    "Quick question about {company}'s growth plans!",
    "Thank you {dash} and next steps!",
    "Our proposal for {company} {dash} let's take it to the next level",
    "Touching base re: {company}",
    "Confirming our meeting {dash} looking forward to it!",
]
_OPENERS = [
    "I hope this email finds you well! I wanted to reach out personally because at Brightline "
    "Growth we have been helping forward-thinking {industry} businesses like {company} unlock "
    "truly game-changing results {dash} and I genuinely believe there is a huge opportunity for "
    "your team here.",
    "I trust you are having a fantastic week! I am just circling back on my previous note, as I "
    "know how incredibly busy things get for leaders in {industry} {dash} especially at this time "
    "of year {dash} and I did not want this opportunity to slip through the cracks!",
    "Thank you so much for taking the time to speak with me earlier this week {dash} it was "
    "an absolute pleasure to learn more about {company} and the exciting journey your team is on "
    "in {city}!",
    "I wanted to touch base following our recent conversation, as I have been reflecting on the "
    "challenges you described and I am more convinced than ever that Brightline Growth is "
    "perfectly positioned to help {company} take things to the next level!",
]
_MIDDLES = [
    "Our proven, best-in-class methodology leverages cutting-edge data insights and deep "
    "industry expertise to drive synergies across your entire value chain {dash} from "
    "procurement right through to the customer {dash} and our clients typically see a "
    "{pct}% uplift in efficiency within the very first quarter, which is truly remarkable.",
    "What really sets us apart is our holistic, end-to-end approach: rather than simply "
    "identifying the low-hanging fruit, we partner with your leadership team to build a "
    "sustainable, scalable roadmap that moves the needle and delivers a genuine win-win for "
    "every stakeholder involved.",
    "I have taken the liberty of putting together a bespoke proposal that outlines exactly how "
    "we could leverage our award-winning framework for {company} {dash} it includes a detailed "
    "ROI model, a phased implementation plan and, of course, our exclusive limited-time "
    "partnership discount!",
    "Many of our clients in {industry} tell us that working with Brightline was the single best "
    "decision they made all year, and I would love for {company} to experience that same "
    "transformation {dash} it really is a game-changer!",
]
_ASKS = [
    "Would you be available for a quick 30-minute discovery call next week? Alternatively, I "
    "would be delighted to come to your {city} office to present in person {dash} just let me "
    "know what works best for you!",
    "Could you let me know a couple of times that suit you, and I will make it happen? I am "
    "also very happy to loop in my colleagues from our strategy team if that would be helpful!",
    "Please do not hesitate to reach out if you have any questions at all {dash} and I look "
    "forward to circling back with you very soon!",
    "Shall we lock in some time before the end of the month to explore the synergies further? "
    "Act now and we can still secure our current rates for {company}!",
]


def marcus_email(contact: Contact, company: Company, rng: random.Random) -> tuple[str, str]:
    """A Sent email in Marcus's voice: (subject, body)."""
    values = {
        "company": company.name,
        "city": company.city,
        "industry": company.industry.lower(),
        "pct": str(rng.randrange(25, 60)),
        "dash": _DASH,
    }
    paragraphs = [rng.choice(_OPENERS), *rng.sample(_MIDDLES, 2), rng.choice(_ASKS)]
    body = "\n\n".join([f"Dear {contact.first_name},", *paragraphs, MARCUS_SIGNATURE])
    return rng.choice(_SUBJECTS).format(**values), body.format(**values)
