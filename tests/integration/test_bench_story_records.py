"""The story benchmark's database half: a seeded history that every targeting rule meets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.bench.story import NOW, generated_contacts, run_story_bench, story_report
from sales_agent.bench.story_records import seed_history, time_stored_facts
from sales_agent.nodes._story_facts import stored_facts


def test_the_seeded_history_gives_each_rule_its_share_and_the_reads_are_timed(
    conn: Connection[DictRow], tmp_path: Path
) -> None:
    people = [contact for contact, _ in generated_contacts(1000)]
    story_id = seed_history(conn, people)
    facts = stored_facts(conn, people, story_id=story_id, now=NOW).values()
    shares = Counter(
        rule
        for fact in facts
        for rule, holds in (
            ("open_followup", fact.open_followup),
            ("sequence", fact.sequence is not None),
            ("suppressed", fact.suppressed is not None),
            ("earlier_story", fact.stories_pitched > 0),
            ("touched", fact.last_touch is not None),
            ("replied", fact.replies > 0),
        )
        if holds
    )
    # Every Nth contact has each kind of history (see bench/story_records.py).
    assert shares["open_followup"] == 1000 // 34  # every 17th: half of them still waiting
    assert shares["sequence"] == 1000 // 29 and shares["suppressed"] == 1000 // 43
    assert shares["earlier_story"] == 1000 // 11 and shares["replied"] == 1000 // 7
    assert shares["touched"] > 1000 // 13
    assert not any(fact.pitched_this_story for fact in facts)

    read = time_stored_facts(conn, people, story_id=story_id, runs=1)
    result = run_story_bench(contacts=1000, pitches=5, runs=1).model_copy(
        update={"read_seconds": read}
    )
    assert read > 0 and result.target_seconds == result.rank_seconds + read
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n")
    story_report(result, command="sales-agent bench story", report=report)
    assert "| read our records of 1000 contacts |" in report.read_text()
