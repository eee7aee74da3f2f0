"""The offline pitch writer: one ask, the story, a CRM fact, and no mail merge."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean

from sales_agent.domain.story import EngagementFacts, RankedContact, StoryCampaign, StoryContact
from sales_agent.domain.voice import default_voice_profile
from sales_agent.nodes.offline.story_writer import PitchInput, write_offline_pitch
from sales_agent.policy.gate_content import count_ctas, word_count
from sales_agent.policy.segments import segment_fit

NOW = datetime(2026, 12, 1, tzinfo=UTC)
STORY = StoryCampaign(
    id="story-1",
    name="Dispatch",
    theme="dispatch planning",
    key_message="We cut a distributor's dispatch planning time by a third in ten weeks.",
    cta="Would a short call next week be useful?",
    created_at=NOW,
    updated_at=NOW,
)
GOLDEN = json.loads((Path(__file__).parents[1] / "golden" / "story_segments.json").read_text())
COMPANIES = ("Northwind", "Kestrel", "Atlas", "Oakline", "Saltmarsh", "Greenway", "Halden")


def target(index: int, case: dict[str, object]) -> RankedContact:
    contact = StoryContact.model_validate(
        {
            **case["contact"],  # type: ignore[dict-item]
            "first_name": f"Person{index}",
            "company_name": f"{COMPANIES[index % len(COMPANIES)]} {index}",
            "stage": "Series B" if index % 3 == 0 else None,
        }
    )
    return RankedContact(
        contact=contact,
        fit=segment_fit(contact, STORY),
        engagement=EngagementFacts(),
        rank_score=0.5,
        reason="test",
    )


def pitches(story: StoryCampaign = STORY) -> list[str]:
    voice = default_voice_profile()
    return [
        write_offline_pitch(
            PitchInput(
                story=story,
                target=target(i, case),
                voice=voice,
                slots=(),
                asset_kind="case study",
                timezone="Europe/London",
            )
        )[0].body
        for i, case in enumerate(GOLDEN["contacts"])
    ]


def test_each_pitch_tells_the_story_with_one_ask_in_the_operators_voice() -> None:
    for body in pitches():
        assert STORY.key_message in body
        assert count_ctas(body) == 1 and body.count(STORY.cta) == 1
        assert body.startswith("Hi Person") and body.endswith("Cheers,\nDana")
        assert "case study" in body
        assert word_count(body) <= 125


def similarity(one: str, other: str) -> float:
    """Jaccard similarity of the two texts' word trigrams (1.0: the same wording)."""

    def trigrams(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9']+", text.lower())
        return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}

    a, b = trigrams(one), trigrams(other)
    return len(a & b) / len(a | b)


def test_pitches_to_different_people_do_not_read_like_a_mail_merge() -> None:
    bodies = pitches()
    scores = [similarity(a, b) for a, b in itertools.combinations(bodies, 2)]
    assert mean(scores) < 0.35, mean(scores)
    assert max(scores) < 0.6, max(scores)
    # The measure catches a mail merge: one letter with only the name and company swapped.
    assert similarity(bodies[0], bodies[0].replace("Person0", "Person1")) > 0.8


def test_the_same_contact_always_gets_the_same_pitch() -> None:
    assert pitches() == pitches()
