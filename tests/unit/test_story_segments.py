"""Segmentation against the golden contacts: persona, industry, fit, reasons, membership."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sales_agent.domain.story import Persona, StoryCampaign, StoryContact
from sales_agent.policy.segments import (
    Segment,
    SegmentError,
    in_segment,
    parse_segment,
    persona_of,
    segment_fit,
)

GOLDEN = json.loads((Path(__file__).parents[1] / "golden" / "story_segments.json").read_text())
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def story(**fields: Any) -> StoryCampaign:
    return StoryCampaign(
        id="story-1",
        name="Waste down a third",
        key_message="We cut a food maker's waste by a third.",
        cta="Worth a short call?",
        created_at=NOW,
        updated_at=NOW,
        **fields,
    )


GOLDEN_STORY = story(**GOLDEN["story"])
SEGMENT = parse_segment(GOLDEN["segment"])


def test_the_golden_file_is_big_and_varied_enough() -> None:
    contacts = GOLDEN["contacts"]
    assert len(contacts) >= 20
    assert {c["expected"]["persona"] for c in contacts} == {*(p.value for p in Persona), None}
    assert {c["expected"]["in_segment"] for c in contacts} == {True, False}


@pytest.mark.parametrize("case", GOLDEN["contacts"], ids=lambda c: c["contact"]["email"])
def test_golden_contact(case: dict[str, Any]) -> None:
    contact = StoryContact.model_validate(case["contact"])
    fit = segment_fit(contact, GOLDEN_STORY)
    expected = case["expected"]
    assert (fit.persona.value if fit.persona else None) == expected["persona"]
    assert fit.industry == expected["industry"]
    assert fit.fit == pytest.approx(expected["fit"])
    assert list(fit.reasons) == expected["reasons"]
    assert in_segment(contact, fit, SEGMENT)[0] is expected["in_segment"]


def test_a_story_without_targets_fits_on_size_alone() -> None:
    contact = StoryContact(email="a@x.example", job_title="Cook", employees=200)
    fit = segment_fit(contact, story())
    assert fit.fit == 1.0 and fit.reasons[0] == "the story targets every persona"


@pytest.mark.parametrize(
    ("title", "persona"),
    [
        ("Finance Director", Persona.FINANCIAL),
        ("Technical Director", Persona.TECHNICAL),
        ("Managing Director", Persona.BUYER),
        ("Head of Operations", Persona.INFLUENCER),
        ("Gardener", None),
        (None, None),
    ],
)
def test_persona_from_title(title: str | None, persona: Persona | None) -> None:
    assert persona_of(title) is persona


def test_segments_parse_and_say_what_failed() -> None:
    assert parse_segment("all") == Segment()
    segment = parse_segment("persona=buyer|financial, industry=Logistics, size=mid, min_fit=0.5")
    assert segment.personas == {Persona.BUYER, Persona.FINANCIAL}
    assert segment.industries == {"logistics"} and segment.sizes == {"mid"}
    assert parse_segment(segment.describe()) == segment
    contact = StoryContact(email="a@x.example", job_title="CFO", industry="Retail", employees=90)
    inside, why = in_segment(contact, segment_fit(contact, story()), segment)
    assert not inside and why == "industry Retail is not in the segment"
    for bad, words in (
        ("persona=ceo", "unknown persona 'ceo'"),
        ("colour=red", "unknown segment filter 'colour'"),
        ("size=huge", "unknown size 'huge'"),
        ("min_fit=2", "outside 0-1"),
        ("persona=", "has no value"),
    ):
        with pytest.raises(SegmentError, match=words):
            parse_segment(bad)
