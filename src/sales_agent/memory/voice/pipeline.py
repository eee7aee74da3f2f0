"""The voice learning run: fetch Sent mail, clean, split, learn, measure, store.

The same steps as DESIGN section 5's voice_learning graph, as one function the CLI calls.
The comparison persona (another mailbox, for the discrimination metric) is read from the
sandbox only: a real workspace does not let the operator read a stranger's Sent folder.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from sales_agent.memory.voice.compose import build_profile
from sales_agent.memory.voice.corpus import (
    CleanEmail,
    clean_emails,
    fetch_sent,
    sandbox_mailbox,
    split_held_out,
)
from sales_agent.memory.voice.feedback import apply_feedback, phrase_votes
from sales_agent.memory.voice.heldout import measure
from sales_agent.memory.voice.learn import learn_voice
from sales_agent.memory.voice.profile import VoiceProfile
from sales_agent.memory.voice.store import save_profile
from sales_agent.policy.pii import default_redactor
from sales_agent.services import Services

__all__ = ["SANDBOX_PERSONA", "LearnRun", "learn_and_store", "persona_emails"]

SANDBOX_PERSONA = "marcus@brightlinegrowth.example"
_PERSONA_NAME = "Marcus Hale"


class LearnRun(BaseModel):
    """What one learning run did: emails fetched and used, and the stored profile."""

    model_config = ConfigDict(frozen=True)

    fetched: int
    used: int
    profile: VoiceProfile


def persona_emails(services: Services, persona: str) -> list[CleanEmail]:
    """Another persona's Sent mail from the sandbox, cleaned the same way (empty if no sandbox)."""
    if services.sandbox_url is None:
        return []
    raws = fetch_sent(sandbox_mailbox(services.sandbox_url, persona), limit=None, since=None)
    return clean_emails(raws, default_redactor(), _PERSONA_NAME)


def learn_and_store(
    services: Services,
    *,
    limit: int | None = None,
    since: date | None = None,
    persona: str | None = SANDBOX_PERSONA,
    actor: str = "cli",
) -> LearnRun:
    """Learn on 80% of the operator's Sent mail, measure on 20%, store a new version."""
    settings = services.settings
    raws = fetch_sent(services.connectors.gmail, limit=limit, since=since)
    emails = clean_emails(raws, default_redactor(), settings.operator_name)
    train, held_out = split_held_out(emails)
    learned = learn_voice(train)
    others = persona_emails(services, persona) if persona else []
    metrics = measure(learned, train_emails=len(train), held_out=held_out, persona=others)
    profile = build_profile(
        learned,
        operator_email=settings.operator_email,
        operator_name=settings.operator_name,
        metrics=metrics,
    )
    with services.pool.connection() as conn:
        # Past edits still count: a re-learn keeps what the operator taught by editing.
        profile = apply_feedback(profile, *phrase_votes(conn, settings.operator_email))
        stored = save_profile(conn, profile, actor=actor)
    return LearnRun(fetched=len(raws), used=len(emails), profile=stored)
