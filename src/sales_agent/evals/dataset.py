"""Dataset lines: a trigger for the follow-up graph, or an inbound message to deliver first.

A line is JSON with a `name`, an optional `split` (dev or test) and `lang`, either
`input.trigger` (as the graph takes it) or `inbound` (a message the runner inserts into the
sandbox mailbox as a new thread), and `expect`: keys checked only when present.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sales_agent.domain.approval import ACCEPT
from sales_agent.errors import SalesAgentError
from sales_agent.evals.labels import INTENTS, Action
from sales_agent.graph.state import FollowupInput

__all__ = ["Case", "Expect", "Inbound", "Split", "load_cases"]

Split = Literal["dev", "test"]


class Inbound(BaseModel):
    """A message from a lead, delivered into the operator's mailbox before the run."""

    model_config = ConfigDict(extra="forbid")

    sender: str = Field(alias="from", description="'Name <address>' or a bare address.")
    cc: list[str] = Field(
        default_factory=list, description="Addresses copied in ('I've copied in Paddy')."
    )
    subject: str
    body: str = Field(description="The new text; HTML markup when `html` is true.")
    html: bool = Field(default=False, description="Deliver as an HTML part only.")
    quoted_history: str | None = Field(
        default=None, description="Earlier conversation quoted under the new text."
    )


class Expect(BaseModel):
    """What a careful operator expects of the run; every key optional, checked when present."""

    model_config = ConfigDict(extra="forbid")

    intent: str | None = None
    action: Action | None = None
    action_in: list[Action] | None = None
    draft: bool | None = Field(default=None, description="A Gmail draft awaits approval.")
    suppressed: bool | None = Field(default=None, description="The lead ends up suppressed.")
    task: bool | None = Field(default=None, description="The run created a CRM task.")
    task_due_after: date | None = Field(default=None, description="A task due after this day.")
    flagged: bool | None = Field(default=None, description="Flagged for the operator's eye.")
    must_contain_any: list[str] | None = None
    must_not_contain: list[str] | None = None
    recipients: list[str] | None = None
    max_words: int | None = None
    slots_on: list[str] | None = Field(
        default=None, description="Days the slots must fall on: weekday names or ISO dates."
    )
    slots_after: str | None = Field(default=None, description="HH:MM, lead-stated earliest.")
    slots_before: str | None = Field(default=None, description="HH:MM, lead-stated latest.")
    outcome: str | None = None
    contact_email: str | None = Field(
        default=None, description="Legacy smoke key: the single expected recipient."
    )

    @model_validator(mode="after")
    def _known_intent(self) -> Self:
        if self.intent is not None and self.intent not in INTENTS:
            raise ValueError(f"unknown intent {self.intent!r}; one of: {', '.join(INTENTS)}")
        return self


class Case(BaseModel):
    """One dataset line (unknown top-level keys, such as a comment, are ignored)."""

    model_config = ConfigDict(extra="ignore")

    name: str
    split: Literal["dev", "test"] | None = None
    lang: str | None = None
    input: FollowupInput | None = None
    inbound: Inbound | None = None
    resume: Any = Field(default_factory=lambda: ACCEPT, description="The operator's answer.")
    now: datetime | None = Field(default=None, description="This case's clock (aware).")
    expect: Expect = Field(default_factory=Expect)
    notes: str | None = Field(default=None, description="Why the expectation is what it is.")

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.input is None) == (self.inbound is None):
            raise ValueError("a line has exactly one of `input` (a trigger) or `inbound`")
        if self.now is not None and self.now.tzinfo is None:
            raise ValueError("`now` needs a time zone, e.g. 2026-03-02T09:00:00Z")
        return self


def load_cases(path: Path, split: Split | None = None) -> list[Case]:
    """The lines of a JSON-lines dataset (only `split`'s when given); names a bad line."""
    if not path.is_file():
        raise SalesAgentError(f"no dataset at {path}: pass --dataset evals/datasets/<name>.jsonl")
    cases: list[Case] = []
    names: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = Case.model_validate_json(line)
        except ValidationError as exc:
            raise SalesAgentError(f"{path}:{number}: not a valid dataset line: {exc}") from None
        if case.name in names:
            raise SalesAgentError(f"{path}:{number}: the name {case.name!r} is used twice")
        names.add(case.name)
        if split is None or case.split == split:
            cases.append(case)
    return cases
