"""Who and what started a run: the trigger and the lead it resolved to."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from sales_agent.domain._model import Frozen

__all__ = ["LIFECYCLE_STAGES", "ResolvedIdentity", "Trigger", "furthest_stage"]

LIFECYCLE_STAGES = (
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
)
"""HubSpot's default lifecycle stages, in the order a relationship moves through them."""
_CLIENT_FROM = LIFECYCLE_STAGES.index("customer")


def furthest_stage(*stages: str | None) -> str | None:
    """The stage furthest along of `stages`; a custom stage only when none is a known one."""
    known = [stage.lower() for stage in stages if stage and stage.lower() in LIFECYCLE_STAGES]
    if known:
        return max(known, key=LIFECYCLE_STAGES.index)
    return next((stage for stage in stages if stage), None)


class Trigger(Frozen):
    """What started the run. The LangGraph thread id is derived from it (`thread_id_for`)."""

    source: Literal["manual", "form", "gmail", "sequence"] = Field(
        description="manual (an operator asked), form (a HubSpot form submission), gmail, or "
        "sequence (a follow-up touch on a quiet lead's Gmail thread)."
    )
    contact_email: str | None = Field(
        default=None, description="The lead's address; required for manual and form triggers."
    )
    gmail_thread_id: str | None = Field(
        default=None, description="The Gmail thread to answer; required for gmail triggers."
    )
    submission_id: str | None = Field(
        default=None, description="The HubSpot form submission id; required for form triggers."
    )
    message: str | None = Field(
        default=None, description="Free text the lead wrote in the form, if any."
    )
    request_id: str | None = Field(
        default=None, description="Optional id that makes a manual trigger distinct."
    )
    sequence_id: int | None = Field(
        default=None, description="The sequence a touch belongs to; required for sequence triggers."
    )
    touch: int | None = Field(
        default=None, ge=1, description="Which follow-up of the sequence (1 = the first)."
    )

    @model_validator(mode="after")
    def _required_per_source(self) -> Self:
        required: dict[str, list[tuple[str, object]]] = {
            "manual": [("contact_email", self.contact_email)],
            "form": [("contact_email", self.contact_email), ("submission_id", self.submission_id)],
            "gmail": [("gmail_thread_id", self.gmail_thread_id)],
            "sequence": [
                ("contact_email", self.contact_email),
                ("gmail_thread_id", self.gmail_thread_id),
                ("sequence_id", self.sequence_id),
                ("touch", self.touch),
            ],
        }
        missing = required[self.source]
        absent = [name for name, value in missing if not value]
        if absent:
            raise ValueError(f"a {self.source} trigger needs {', '.join(absent)}")
        if self.contact_email is not None and "@" not in self.contact_email:
            raise ValueError(f"contact_email {self.contact_email!r} is not an email address")
        return self


class ResolvedIdentity(Frozen):
    """Who the lead is, from the CRM when known."""

    email: str
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    contact_id: str | None = Field(default=None, description="HubSpot contact id, if known.")
    company_id: str | None = Field(default=None, description="HubSpot company id, if known.")
    deal_id: str | None = Field(default=None, description="The lead's open deal, if any.")
    company_name: str | None = None
    company_domain: str | None = None
    industry: str | None = None
    stage: str | None = None
    employees: int | None = None
    timezone: str | None = Field(
        default=None, description="The lead's IANA time zone from the CRM; sends use it."
    )
    lifecycle_stage: str | None = Field(
        default=None,
        description="The furthest HubSpot lifecycle stage of the contact and their company.",
    )

    @property
    def is_prospect(self) -> bool:
        """True when the CRM places the lead before `customer`: not a client (yet).

        An unknown or custom stage says nothing either way.
        """
        stage = (self.lifecycle_stage or "").lower()
        return stage in LIFECYCLE_STAGES and LIFECYCLE_STAGES.index(stage) < _CLIENT_FROM
