"""Voice learning on the sandbox operator's Sent mail, stored and refined in Postgres."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sales_agent.db.crm_mirror import names_since
from sales_agent.domain import NextStepPlan, PlanAction, ResolvedIdentity, ThreadContext
from sales_agent.domain.slots import SlotRules, free_slots
from sales_agent.domain.voice import VoiceProfile, default_voice_profile
from sales_agent.memory.voice.corpus import fetch_sent
from sales_agent.memory.voice.feedback import edit_diff, record_edit, refresh_profile
from sales_agent.memory.voice.pipeline import LearnRun, learn_and_store
from sales_agent.memory.voice.store import list_versions, load_current_profile
from sales_agent.memory.voice.text import contains_phrase
from sales_agent.nodes.offline.writer import WriterInput, write_offline_draft
from sales_agent.policy.gate_context import GateContext
from sales_agent.policy.pii import default_redactor
from sales_agent.policy.quality import evaluate_draft
from sales_agent.services import Services

OPERATOR = "dana@chaingepartners.example"


@pytest.fixture(scope="module")
def run(services: Services) -> LearnRun:
    return learn_and_store(services, actor="test")


def draft_body(voice: VoiceProfile, seed: str) -> str:
    slots = free_slots([], datetime(2026, 12, 1, 8, tzinfo=UTC), SlotRules(timezone="UTC"))
    identity = ResolvedIdentity(email="priya@northwind.example", first_name="Priya")
    draft = write_offline_draft(
        WriterInput(
            identity=identity,
            thread=ThreadContext(summary="s", intent="meeting_request", detail="dispatch delays"),
            plan=NextStepPlan(action=PlanAction.PROPOSE_CALL, reason="asked to meet"),
            slots=slots,
            voice=voice,
            timezone="Europe/London",
            seed=seed,
            recipients=(identity.email,),
            greeting_name="Priya",
            today=date(2026, 12, 1),
        )
    )
    gate = GateContext(
        forbidden_words=voice.forbidden_words, allowed_recipients=frozenset(draft.to)
    )
    assert evaluate_draft(draft, gate).status == "PASS", draft.body
    return draft.body


def test_default_until_a_profile_is_learned(services: Services) -> None:
    with services.pool.connection() as conn:
        assert load_current_profile(conn, "nobody@example.test") == default_voice_profile()


def test_learning_meets_the_held_out_targets(run: LearnRun) -> None:
    profile, metrics = run.profile, run.profile.metrics
    assert run.fetched == 376 and profile.operator_email == OPERATOR
    assert metrics is not None and metrics.train_emails + metrics.held_out_emails == run.used
    assert metrics.coverage > 0.9
    assert metrics.cta_match_rate > 0.8
    assert metrics.discrimination_accuracy is not None and metrics.discrimination_accuracy > 0.9
    assert metrics.persona_emails == 114
    learned = profile.learned
    assert learned is not None and learned.tone.label == "conversational"
    assert profile.greeting == "Hi {first_name}," and profile.sign_off == "Cheers,"
    assert profile.sources["openers"] == "learned"


def test_since_and_limit_narrow_the_sent_mail(services: Services) -> None:
    gmail = services.connectors.gmail
    recent = fetch_sent(gmail, limit=None, since=(datetime.now(UTC) - timedelta(days=90)).date())
    assert 0 < len(recent) < 376
    assert len(fetch_sent(gmail, limit=120, since=None)) == 120


def test_no_pii_reaches_the_stored_profile(run: LearnRun, services: Services) -> None:
    redactor = default_redactor()
    learned = run.profile.learned
    assert learned is not None
    texts = [p.text for p in learned.patterns] + [c.text for c in learned.ctas]
    texts += [*run.profile.openers, *run.profile.value_lines, *run.profile.cta_templates]
    assert all(redactor.redact(t) == t for t in texts)
    with services.pool.connection() as conn:
        names = {n.name for n in names_since(conn, 0)}
    assert not any(name in " ".join(texts) for name in names)


def test_each_learn_stores_a_new_version(run: LearnRun, services: Services) -> None:
    second = learn_and_store(services, limit=50, contrast=False, actor="test")
    assert second.profile.version == run.profile.version + 1 and second.fetched == 50
    with services.pool.connection() as conn:
        versions = list_versions(conn, OPERATOR)
        current = load_current_profile(conn, OPERATOR)
    assert [v.version for v in versions[:2]] == [second.profile.version, run.profile.version]
    assert versions[1].metrics["coverage"] == run.profile.metrics.coverage  # type: ignore[union-attr]
    assert current == second.profile


def test_draft_from_the_learned_profile_uses_its_patterns(run: LearnRun) -> None:
    learned = run.profile.learned
    assert learned is not None
    for seed in ("gmail:a", "gmail:b", "gmail:c"):
        body = draft_body(run.profile, seed)
        used = [p.text for p in learned.patterns if contains_phrase(body, p.text)]
        assert len(used) >= 2, body
        assert body.startswith("Hi Priya,") and body.endswith("Cheers,\nDana")


def test_a_phrase_the_operator_keeps_deleting_ends_up_avoided(services: Services) -> None:
    with services.pool.connection() as conn:
        voice = load_current_profile(conn, OPERATOR)
    line = voice.value_lines[0]
    phrase = " ".join(line.rstrip(".").split()[-3:]).lower()
    seeds = [s for s in (f"gmail:s{i}" for i in range(40)) if line in draft_body(voice, s)][:2]
    with services.pool.connection() as conn:
        for i, seed in enumerate(seeds):
            body = draft_body(voice, seed)
            diff = edit_diff(body, body.replace(line, ""), default_redactor())
            record_edit(conn, operator_email=OPERATOR, draft_id=f"d{i}", thread_id=seed, diff=diff)
        refreshed = refresh_profile(conn, OPERATOR, actor="test")
        applied = conn.execute(
            "SELECT applied_in_version FROM voice_feedback WHERE operator_email = %s", [OPERATOR]
        ).fetchall()
    assert len(seeds) == 2
    assert phrase in refreshed.avoid_phrases
    assert all(row["applied_in_version"] == refreshed.version for row in applied)
    assert refreshed.greeting == voice.greeting and refreshed.learned == voice.learned
    for seed in (f"gmail:s{i}" for i in range(20)):
        assert not contains_phrase(draft_body(refreshed, seed), phrase)
