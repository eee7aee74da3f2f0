"""Voice learning as pure functions over stripped, redacted texts."""

from __future__ import annotations

from collections import Counter

from sales_agent.memory.voice.compose import build_profile
from sales_agent.memory.voice.corpus import CleanEmail, RawEmail, clean_email, split_held_out
from sales_agent.memory.voice.ctas import closing_ask, normalise_cta
from sales_agent.memory.voice.feedback import apply_feedback, edit_diff
from sales_agent.memory.voice.heldout import measure
from sales_agent.memory.voice.learn import learn_voice, packaged_cliches
from sales_agent.memory.voice.text import ngrams
from sales_agent.policy.pii import Redactor

REDACTOR = Redactor.with_crm(["Priya Natarajan"], ["Northwind"])

TOPICS = ["late orders", "carrier slots", "pick rates", "returns", "stock counts", "dock doors"]
DAYS = ["Tuesday", "Wednesday", "Thursday"]


def operator_email(i: int) -> CleanEmail:
    """A short, plain email in one steady voice."""
    topic, day = TOPICS[i % len(TOPICS)], DAYS[i % len(DAYS)]
    text = (
        f"Hi [NAME],\n\nQuick one on {topic}, worth a look.\n\n"
        "I wrote it up on one page, no slides needed.\n\n"
        f"Would a 20-minute call on {day} work to go through it?\n\nCheers,\n[OPERATOR_FIRST]"
    )
    return CleanEmail(id=f"m{i}", text=text, signature="-- \n[OPERATOR]\nPartner\n[PHONE]")


def other_email(i: int) -> CleanEmail:
    text = (
        "Dear [NAME],\n\nI hope this email finds you well! We leverage a truly game-changing "
        "framework — and I would be delighted to present it!\n\nCould you let me know what "
        "works best for you?\n\nKind regards,\n[OPERATOR]"
    )
    return CleanEmail(id=f"o{i}", text=text)


CORPUS = [operator_email(i) for i in range(40)]


def test_cleaning_strips_quotes_and_signature_and_redacts_before_learning() -> None:
    raw = RawEmail(
        id="x",
        body=(
            "Hi Priya,\n\nCall me on +44 20 7946 0321 about Northwind.\n\nCheers,\nDana\n\n"
            "-- \nDana Reyes\nPartner\n\nOn Mon, 1 Dec 2026, Priya wrote:\n> old text"
        ),
    )
    cleaned = clean_email(raw, REDACTOR, "Dana Reyes")
    assert cleaned.text == (
        "Hi [NAME],\n\nCall me on [PHONE] about [COMPANY].\n\nCheers,\n[OPERATOR_FIRST]"
    )
    assert "old text" not in cleaned.text and "Dana" not in cleaned.signature


def test_ngrams_skip_stopword_only_and_placeholder_grams() -> None:
    grams = set(ngrams("Hi [NAME], it is on the list of things."))
    assert "it is" not in grams and "on the" not in grams
    assert not any("[" in g for g in grams)
    assert "the list" in grams


def test_learned_voice_has_patterns_rules_ctas_and_forbidden_words() -> None:
    learned = learn_voice(CORPUS)
    texts = {p.text: p for p in learned.patterns}
    assert "no slides needed" in texts and texts["no slides needed"].count == 40
    assert all(p.count > 2 and 0 < p.percentile <= 100 for p in learned.patterns)
    assert learned.greeting is not None and learned.greeting.form == "Hi {first_name},"
    assert learned.sign_off is not None and learned.sign_off.form == "Cheers,"
    rules = {r.name: r for r in learned.rules}
    assert rules["exclamation_marks"].kind == "dont" and rules["em_dashes"].kind == "dont"
    assert rules["paragraph_length"].observed_rate >= 0.9
    assert learned.ctas[0].text == "Would a 20-minute call on {slots} work to go through it?"
    assert learned.tone.label == "conversational" and learned.tone.evidence["conversational"]
    assert set(learned.forbidden_words) == set(packaged_cliches())
    assert learned.signature_style.name_line == "first_name"
    assert learned.signature_style.delimited
    assert learned.openers[0].text == "Quick one on {detail}, worth a look."


def test_a_cliche_the_operator_uses_is_not_forbidden() -> None:
    learned = learn_voice([*CORPUS, other_email(1)])
    assert "leverage" not in learned.forbidden_words
    assert "synergy" in learned.forbidden_words


def test_cta_normalisation_turns_days_and_times_into_slots() -> None:
    assert normalise_cta("Is Tuesday at 15:30 any good?") == "Is {slots} any good?"
    assert normalise_cta("Would Monday or Friday morning work?") == "Would {slots} work?"
    assert closing_ask(CORPUS[0].text) == (
        "Would a 20-minute call on {slots} work to go through it?"
    )


def test_held_out_split_is_deterministic_and_about_a_fifth() -> None:
    emails = [CleanEmail(id=f"id-{i}", text="x") for i in range(1000)]
    train, held = split_held_out(emails)
    assert (train, held) == split_held_out(emails)
    assert 150 < len(held) < 250 and len(train) + len(held) == 1000


def test_measure_reports_coverage_cta_match_and_discrimination() -> None:
    learned = learn_voice(CORPUS[:30])
    persona = [other_email(i) for i in range(10)]
    metrics = measure(learned, train_emails=30, held_out=CORPUS[30:], persona=persona)
    assert metrics.coverage == 1.0 and metrics.cta_match_rate == 1.0
    assert metrics.discrimination_accuracy == 1.0


def test_profile_takes_learned_fields_and_says_which() -> None:
    profile = build_profile(
        learn_voice(CORPUS), operator_email="dana@example.test", operator_name="Dana Reyes"
    )
    assert profile.greeting == "Hi {first_name}," and profile.signature == "Dana"
    assert profile.openers == ("Quick one on {detail}, worth a look.",)
    assert profile.value_lines == ("I wrote it up on one page, no slides needed.",)
    assert profile.sources["greeting"] == "learned"
    assert profile.sources["fallback_cta"] == "default"


def test_a_phrase_deleted_in_two_edits_is_avoided_and_leaves_the_choices() -> None:
    profile = build_profile(
        learn_voice(CORPUS), operator_email="dana@example.test", operator_name="Dana Reyes"
    )
    original = "Hi Priya,\n\nI wrote it up on one page, no slides needed.\n\nCheers,\nDana"
    edited = "Hi Priya,\n\nI wrote it up on one page.\n\nCheers,\nDana"
    diff = edit_diff(original, edited, REDACTOR)
    assert "no slides needed" in diff.removed and not diff.added
    once = apply_feedback(profile, Counter(diff.removed), Counter())
    assert once.avoid_phrases == ()
    twice = apply_feedback(profile, Counter(diff.removed) + Counter(diff.removed), Counter())
    assert "no slides needed" in twice.avoid_phrases
    assert not any("no slides needed" in line for line in twice.value_lines)
    assert twice.greeting == profile.greeting, "targeted update, not a rewrite"


def test_a_formal_exclaiming_persona_reads_as_formal_with_other_rules() -> None:
    learned = learn_voice([other_email(i) for i in range(10)])
    assert learned.tone.label == "formal"
    rules = {r.name: r for r in learned.rules}
    assert rules["exclamation_marks"].kind == "do" and rules["em_dashes"].kind == "do"
    assert learned.greeting is not None and learned.greeting.form == "Dear {first_name},"
    assert learned.signature_style.name_line == "full_name"


def test_openers_that_claim_a_past_event_are_not_learned() -> None:
    # "following our chat" would state a meeting the thread may never have had.
    emails = [
        CleanEmail(
            id=f"h{i}",
            text=f"Hi [NAME],\n\nQuick one following our chat about {topic}.\n\n"
            "Would Tuesday work for a call?\n\nCheers,\n[OPERATOR_FIRST]",
            signature="",
        )
        for i, topic in enumerate(TOPICS)
    ]
    assert learn_voice(emails).openers == ()
