"""Segmentation for story pitches: persona from the job title, industry from the company, fit.

Deterministic and explainable: every score comes with the sentence a person reads to see why
(`tests/golden/story_segments.json` pins the answers for real-looking contacts).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import Field

from sales_agent.domain._model import Frozen
from sales_agent.domain.story import Persona, SegmentFit, StoryCampaign, StoryContact
from sales_agent.errors import SalesAgentError

__all__ = [
    "Segment",
    "SegmentError",
    "in_segment",
    "industry_of",
    "parse_segment",
    "persona_of",
    "segment_fit",
    "size_band",
]

# Checked in this order: a "Finance Director" judges cost before anything else, and a
# "Technical Director" judges how it works; seniority (buyer) decides only after.
_PERSONA_WORDS: tuple[tuple[Persona, frozenset[str]], ...] = (
    (
        Persona.FINANCIAL,
        frozenset({"cfo", "finance", "financial", "procurement", "purchasing", "controller",
                   "accounting", "accountant", "treasurer", "buyer"}),
    ),
    (
        Persona.TECHNICAL,
        frozenset({"cto", "cio", "it", "engineer", "engineering", "technical", "technology",
                   "systems", "data", "developer", "architect", "digital", "software"}),
    ),
    (
        Persona.BUYER,
        frozenset({"ceo", "coo", "chief", "founder", "owner", "president", "vp", "director",
                   "md", "partner", "principal"}),
    ),
    (
        Persona.INFLUENCER,
        frozenset({"head", "manager", "lead", "coordinator", "supervisor", "specialist",
                   "analyst", "planner", "officer", "administrator"}),
    ),
)  # fmt: skip
_MANAGING_DIRECTOR = re.compile(r"\bmanaging director\b|\bvice president\b", re.IGNORECASE)

# Industries that buy the same kind of work: a story for one half-fits the others.
_RELATED: tuple[frozenset[str], ...] = (
    frozenset({"logistics", "manufacturing", "retail", "food & beverage", "construction"}),
    frozenset({"healthcare", "pharmaceuticals"}),
    frozenset({"fintech", "financial services", "saas"}),
    frozenset({"energy", "construction"}),
)
_SIZE_BANDS = ("small", "mid", "large")


class SegmentError(SalesAgentError):
    """A segment that cannot be read; the message shows the syntax."""

    code = "segment_invalid"


class Segment(Frozen):
    """Who a run may pitch: filters ANDed together; empty filters let everyone in."""

    personas: frozenset[Persona] = frozenset()
    industries: frozenset[str] = Field(default=frozenset(), description="Lower case.")
    sizes: frozenset[str] = Field(default=frozenset(), description="small, mid, large.")
    min_fit: float = Field(default=0.0, ge=0, le=1)

    def describe(self) -> str:
        """The segment in the syntax `parse_segment` reads."""
        parts = [
            f"{key}={'|'.join(sorted(values))}"
            for key, values in (
                ("persona", {p.value for p in self.personas}),
                ("industry", self.industries),
                ("size", self.sizes),
            )
            if values
        ]
        if self.min_fit:
            parts.append(f"min_fit={self.min_fit:g}")
        return ",".join(parts) or "all"


_SYNTAX = (
    "write a segment as `all` or comma-separated filters, each `key=value` with `|` between "
    "alternatives: persona=buyer|financial, industry=Logistics|Retail, size=small|mid|large, "
    "min_fit=0.5 (for example `persona=buyer,industry=Logistics`)"
)


def parse_segment(text: str) -> Segment:
    """Read `all` or `persona=...,industry=...,size=...,min_fit=...`; SegmentError says why not."""
    text = text.strip()
    if text.lower() in ("", "all"):
        return Segment()
    values: dict[str, object] = {}
    for part in text.split(","):
        key, sep, raw = part.partition("=")
        key, options = key.strip().lower(), [o.strip() for o in raw.split("|") if o.strip()]
        if not sep or not options:
            raise SegmentError(f"segment filter {part.strip()!r} has no value: {_SYNTAX}")
        if key == "persona":
            known = {p.value for p in Persona}
            unknown = [o for o in options if o.lower() not in known]
            if unknown:
                raise SegmentError(f"unknown persona {unknown[0]!r}: {_SYNTAX}")
            values["personas"] = frozenset(Persona(o.lower()) for o in options)
        elif key == "industry":
            values["industries"] = frozenset(o.lower() for o in options)
        elif key == "size":
            if bad := [o for o in options if o.lower() not in _SIZE_BANDS]:
                raise SegmentError(f"unknown size {bad[0]!r}: {_SYNTAX}")
            values["sizes"] = frozenset(o.lower() for o in options)
        elif key == "min_fit":
            try:
                values["min_fit"] = float(options[0])
            except ValueError:
                raise SegmentError(f"min_fit {options[0]!r} is not a number: {_SYNTAX}") from None
            if not 0 <= float(options[0]) <= 1:
                raise SegmentError(f"min_fit {options[0]} is outside 0-1: {_SYNTAX}")
        else:
            raise SegmentError(f"unknown segment filter {key!r}: {_SYNTAX}")
    return Segment.model_validate(values)


def _words(title: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", title.lower()))


@lru_cache(maxsize=4096)  # a CRM repeats its titles: thousands of contacts, dozens of titles
def persona_of(job_title: str | None) -> Persona | None:
    """The persona a job title says, or None when the title says nothing we know."""
    if not job_title:
        return None
    words = _words(job_title)
    for persona, keys in _PERSONA_WORDS:
        if words & keys:
            return persona
    return Persona.BUYER if _MANAGING_DIRECTOR.search(job_title) else None


def industry_of(contact: StoryContact) -> str | None:
    """The company's industry as the CRM spells it, or None when unknown."""
    return contact.industry.strip() if contact.industry and contact.industry.strip() else None


def size_band(employees: int | None) -> str | None:
    """Band: small (under 50 people), mid (50-999), large (1,000 and more), or None when unknown."""
    if employees is None:
        return None
    return "small" if employees < 50 else "mid" if employees < 1000 else "large"


@lru_cache(maxsize=1024)
def _related(one: str, other: str) -> bool:
    return any(one in group and other in group for group in _RELATED)


def _persona_part(persona: Persona | None, target: Persona | None) -> tuple[float, str]:
    if target is None:
        return 1.0, "the story targets every persona"
    if persona is None:
        return 0.2, "the job title does not say the role"
    if persona is target:
        return 1.0, f"{persona.value} persona, as the story targets"
    return 0.3, f"{persona.value} persona, the story targets {target.value}"


def _industry_part(industry: str | None, target: str | None) -> tuple[float, str]:
    if target is None:
        return 1.0, "the story targets every industry"
    if industry is None:
        return 0.2, "the company's industry is unknown"
    if industry.lower() == target.lower():
        return 1.0, f"in {industry}, the story's industry"
    if _related(industry.lower(), target.lower()):
        return 0.5, f"in {industry}, close to the story's {target}"
    return 0.0, f"in {industry}, not the story's {target}"


def _size_part(employees: int | None) -> tuple[float, str]:
    if employees is None:
        return 0.5, "company size unknown"
    if 50 <= employees < 1000:
        return 1.0, f"{employees} people, the size we serve best"
    if 20 <= employees < 5000:
        return 0.6, f"{employees} people, at the edge of the size we serve"
    return 0.3, f"{employees} people, far from the size we serve"


def segment_fit(contact: StoryContact, story: StoryCampaign) -> SegmentFit:
    """Persona, industry and the 0-1 fit to the story: persona 40%, industry 40%, size 20%."""
    return _fit(
        contact.job_title,
        industry_of(contact),
        contact.employees,
        story.target_persona,
        story.target_industry,
    )


# A CRM repeats its titles, industries and sizes: thousands of contacts, a few hundred fits.
@lru_cache(maxsize=8192)
def _fit(
    job_title: str | None,
    industry: str | None,
    employees: int | None,
    target_persona: Persona | None,
    target_industry: str | None,
) -> SegmentFit:
    persona = persona_of(job_title)
    persona_score, persona_reason = _persona_part(persona, target_persona)
    industry_score, industry_reason = _industry_part(industry, target_industry)
    size_score, size_reason = _size_part(employees)
    fit = 0.4 * persona_score + 0.4 * industry_score + 0.2 * size_score
    # Built without re-validation (every value computed here): ranking builds one per contact.
    return SegmentFit.model_construct(
        persona=persona,
        industry=industry,
        fit=round(fit, 4),
        reasons=(persona_reason, industry_reason, size_reason),
    )


def in_segment(contact: StoryContact, fit: SegmentFit, segment: Segment) -> tuple[bool, str]:
    """Whether the contact passes every filter of the segment, and if not, which one failed."""
    if segment.personas and fit.persona not in segment.personas:
        persona = fit.persona.value if fit.persona else "unknown"
        return False, f"persona {persona} is not in the segment"
    if segment.industries and (fit.industry or "").lower() not in segment.industries:
        return False, f"industry {fit.industry or 'unknown'} is not in the segment"
    if segment.sizes and size_band(contact.employees) not in segment.sizes:
        return False, f"size {size_band(contact.employees) or 'unknown'} is not in the segment"
    if fit.fit < segment.min_fit:
        return False, f"fit {fit.fit:.2f} is under {segment.min_fit:g}"
    return True, "in the segment"
