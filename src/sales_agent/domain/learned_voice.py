"""The profile's data: what voice learning observed and measured (models only, no logic)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Counted",
    "HeldOutMetrics",
    "LearnedVoice",
    "Observed",
    "PhrasePattern",
    "SignatureStyle",
    "Tone",
    "ToneLabel",
    "VoiceRule",
]

ToneLabel = Literal["formal", "conversational", "urgent"]


class PhrasePattern(BaseModel):
    """A phrase (2 to 4 words) the operator uses in several emails."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(description="The lower-cased words of the phrase.")
    count: int = Field(description="Emails of the training set that use it (above 2).")
    share: float = Field(description="count / training emails: how often it appears.")
    percentile: float = Field(
        description="Share of all distinct phrases seen at most as often (0-100)."
    )


class Observed(BaseModel):
    """A learned form and the share of emails that use it."""

    model_config = ConfigDict(frozen=True)

    form: str
    rate: float


class VoiceRule(BaseModel):
    """A do or don't, with the share of training emails that follow the habit it describes."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="greeting, sign_off, exclamation_marks, paragraph_length...")
    kind: Literal["do", "dont"]
    rule: str = Field(description="The rule in words, as the writer should apply it.")
    observed_rate: float = Field(description="Share of training emails consistent with it.")


class SignatureStyle(BaseModel):
    """How the operator signs: the name under the sign-off and the block below it."""

    model_config = ConfigDict(frozen=True)

    name_line: Literal["first_name", "full_name", "none"]
    block: bool = Field(description="A signature block (title, company, phone) follows.")
    block_lines: int = Field(description="Median lines of that block.")
    delimited: bool = Field(description="The block starts with the '-- ' delimiter.")


class Tone(BaseModel):
    """The dominant tone, each tone's score and the markers that decided it."""

    model_config = ConfigDict(frozen=True)

    label: ToneLabel
    scores: dict[str, float] = Field(
        description="Per tone, the mean share of emails using each of its markers x 10."
    )
    evidence: dict[str, list[str]] = Field(
        description="Per tone, its commonest markers with the share of emails using them."
    )


class Counted(BaseModel):
    """A sentence or ask the operator repeats, with how many training emails use it."""

    model_config = ConfigDict(frozen=True)

    text: str
    count: int = Field(description="Training emails that use it.")
    share: float


class LearnedVoice(BaseModel):
    """The patterns observed in the operator's (stripped, redacted) Sent mail."""

    model_config = ConfigDict(frozen=True)

    emails: int = Field(description="Training emails the patterns were learned from.")
    patterns: tuple[PhrasePattern, ...] = Field(
        description="Phrases of 2-4 words, commonest first."
    )
    tone: Tone
    ctas: tuple[Counted, ...] = Field(description="Closing asks used at least twice.")
    openers: tuple[Counted, ...] = Field(
        default=(), description="First-sentence templates; {detail} is the thread's point."
    )
    recurring_sentences: tuple[Counted, ...] = Field(
        default=(), description="Whole sentences repeated in at least three emails."
    )
    greeting: Observed | None = None
    sign_off: Observed | None = None
    rules: tuple[VoiceRule, ...] = ()
    forbidden_words: tuple[str, ...] = Field(
        default=(), description="Packaged sales cliches never seen in the corpus."
    )
    median_word_count: int = 0
    signature_style: SignatureStyle


class HeldOutMetrics(BaseModel):
    """How well the profile learned on 80% of the Sent mail describes the other 20%."""

    model_config = ConfigDict(frozen=True)

    train_emails: int
    held_out_emails: int
    coverage: float = Field(description="Held-out emails using at least one learned pattern.")
    cta_match_rate: float = Field(
        description="Held-out emails with an ask whose closing ask is a learned CTA."
    )
    discrimination_accuracy: float | None = Field(
        default=None,
        description="Share of (operator, other persona) email pairs the profile ranks "
        "correctly (operator scores higher); None without a comparison mailbox.",
    )
    persona_emails: int = 0
