"""The voice learning run: select Sent mail, clean, learn, validate, store, export.

DESIGN section 5's voice_learning steps, one function each. The `voice_learning` graph calls
them one per node (so Studio can step through them); `learn_and_store`, the CLI's entry,
calls them in a row. The comparison persona (another mailbox, for the discrimination metric)
is read from the sandbox only: a real workspace does not let the operator read a stranger's
Sent folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from email.utils import parseaddr
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from sales_agent.config import Settings
from sales_agent.domain.voice import VoiceProfile
from sales_agent.domain.voice_spec import export_document
from sales_agent.errors import SalesAgentError
from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.voice.compose import build_profile
from sales_agent.memory.voice.corpus import (
    CleanEmail,
    Corpus,
    clean_emails,
    fetch_sent,
    read_messages,
    sandbox_mailbox,
    sent_message_ids,
)
from sales_agent.memory.voice.documents import document_samples
from sales_agent.memory.voice.feedback import apply_feedback, phrase_votes
from sales_agent.memory.voice.heldout import measure
from sales_agent.memory.voice.learn import learn_voice
from sales_agent.memory.voice.store import save_profile
from sales_agent.memory.voice.validate import ValidationReport, validate_profile
from sales_agent.policy.pii import Redactor, default_redactor

__all__ = [
    "LearnRun",
    "VoiceProfileRejectedError",
    "build_corpus",
    "export_profile",
    "learn_and_store",
    "learn_profile",
    "own_names",
    "persona_emails",
    "select_sent",
    "store_profile",
    "validate_learned",
]


class VoiceProfileRejectedError(SalesAgentError):
    """A learned profile failed validation, so it was not stored."""

    code = "voice_profile_rejected"


class LearnRun(BaseModel):
    """What one learning run did: emails fetched and used, document paragraphs, the profile."""

    model_config = ConfigDict(frozen=True)

    fetched: int
    used: int
    documents: int = 0
    profile: VoiceProfile


def own_names(settings: Settings) -> list[str]:
    """Strings the PII check allows: the operator's own name (it signs) and address."""
    return [*settings.operator_name.split(), settings.operator_email]


def persona_emails(services: MemoryServices, persona: str) -> list[CleanEmail]:
    """Another writer's Sent mail (`Name <address>`) from the sandbox, cleaned the same way.

    Empty without a sandbox: a real install never reads a second person's mailbox.
    """
    if services.sandbox_url is None:
        return []
    name, address = parseaddr(persona)
    raws = fetch_sent(sandbox_mailbox(services.sandbox_url, address), limit=None, since=None)
    return clean_emails(raws, _redactor(services), name)


def select_sent(services: MemoryServices, *, limit: int | None, since: date | None) -> list[str]:
    """Step fetch_sent: which Sent messages the run learns from (ids only, no text yet)."""
    return sent_message_ids(services.connectors.gmail, limit=limit, since=since)


def _redactor(services: MemoryServices) -> Redactor:
    """The process's redactor, with every name the CRM mirror holds by now.

    It finds CRM names through the process's name index, which the gate otherwise fills
    on its first draft: learning a voice before any draft must redact client names too.
    """
    with services.pool.connection() as conn:
        services.crm_names.refresh(conn)
    return default_redactor()


def build_corpus(
    services: MemoryServices, message_ids: Sequence[str], drive_doc_ids: Sequence[str] = ()
) -> Corpus:
    """Step clean: read the mail and the chosen documents, strip quotes and signatures, redact.

    Documents go first: one outside the Drive allowlist fails the run before any mail is read.
    """
    redactor, name = _redactor(services), services.settings.operator_name
    samples = document_samples(services.connectors.drive, drive_doc_ids)
    documents = clean_emails(samples, redactor, name)
    raws = read_messages(services.connectors.gmail, message_ids)
    return Corpus(emails=tuple(clean_emails(raws, redactor, name)), documents=tuple(documents))


def learn_profile(services: MemoryServices, corpus: Corpus) -> VoiceProfile:
    """Step learn: a profile from the training samples, with the operator's past edits applied."""
    settings = services.settings
    profile = build_profile(
        learn_voice(corpus.training()),
        operator_email=settings.operator_email,
        operator_name=settings.operator_name,
    )
    with services.pool.connection() as conn:
        # Past edits still count: a re-learn keeps what the operator taught by editing.
        return apply_feedback(profile, *phrase_votes(conn, settings.operator_email))


def validate_learned(
    services: MemoryServices, corpus: Corpus, profile: VoiceProfile, *, persona: str | None
) -> tuple[VoiceProfile, ValidationReport]:
    """Step validate: held-out adherence metrics on the profile, then its PII check."""
    assert profile.learned is not None, "validate a learned profile, not the packaged default"
    held_out = corpus.held_out()
    others = persona_emails(services, persona) if persona else []
    train_emails = len(corpus.emails) - len(held_out)
    metrics = measure(profile.learned, train_emails=train_emails, held_out=held_out, persona=others)
    measured = profile.model_copy(update={"metrics": metrics})
    report = validate_profile(measured, _redactor(services), own_names=own_names(services.settings))
    return measured, report


def store_profile(
    services: MemoryServices, profile: VoiceProfile, report: ValidationReport, *, actor: str
) -> VoiceProfile:
    """Step store: save the validated profile as the operator's next version."""
    if not report.ok:
        where = ", ".join(f"{f.path} ({' '.join(f.kinds)})" for f in report.pii)
        raise VoiceProfileRejectedError(
            f"the learned voice profile was not stored: the PII check flagged {where}; "
            "add the missing names to the CRM (the redactor reads them from it) and learn again"
        )
    with services.pool.connection() as conn:
        return save_profile(conn, profile, actor=actor)


def export_profile(profile: VoiceProfile, output: Path | None = None) -> str:
    """Step export: the profile as JSON text, also written to `output` when one is given.

    The spec's `VoiceProfile` keys come first (`domain.voice_spec`), our fields beside them.
    """
    text = json.dumps(export_document(profile), indent=2, ensure_ascii=False) + "\n"
    if output is not None:
        output.write_text(text, encoding="utf-8")
    return text


def learn_and_store(
    services: MemoryServices,
    *,
    limit: int | None = None,
    since: date | None = None,
    drive_doc_ids: Sequence[str] = (),
    contrast: bool = True,
    actor: str = "cli",
) -> LearnRun:
    """Learn on 80% of the operator's Sent mail (plus chosen documents), measure on 20%, store."""
    message_ids = select_sent(services, limit=limit, since=since)
    corpus = build_corpus(services, message_ids, drive_doc_ids)
    candidate = learn_profile(services, corpus)
    persona = services.settings.voice_contrast if contrast else None
    profile, report = validate_learned(services, corpus, candidate, persona=persona)
    stored = store_profile(services, profile, report, actor=actor)
    return LearnRun(
        fetched=len(message_ids),
        used=len(corpus.emails),
        documents=len(corpus.documents),
        profile=stored,
    )
