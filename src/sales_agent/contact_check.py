"""May the agent contact this person? Their CRM record with the active guardrails applied.

One implementation for `sales-agent admin guardrails check` and `GET
/api/guardrails/check-contact`: the lead is looked up exactly as the follow-up graph's
`resolve_identity` does, and judged by the same `is_allowed` as its `policy_precheck`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.errors import ConnectorError, SalesAgentError
from sales_agent.nodes.resolve_identity import lookup_identity
from sales_agent.policy.guardrails import is_allowed, load_active_rules
from sales_agent.services import Services

__all__ = ["ContactCheck", "ContactNotFoundError", "check_contact"]


class ContactNotFoundError(SalesAgentError):
    """No HubSpot contact has the id asked about."""

    code = "contact_not_found"

    def __init__(self, contact_id: str) -> None:
        super().__init__(
            f"no HubSpot contact has id {contact_id!r}: check the id, or ask by `email=`"
        )


class ContactCheck(BaseModel):
    """The contact's company facts the rules read, and the rules' verdict."""

    model_config = ConfigDict(frozen=True)

    email: str
    contact_id: str | None = Field(description="The HubSpot contact, None if not in the CRM.")
    company_id: str | None
    company_name: str | None
    stage: str | None = Field(description="The company's funding stage.")
    industry: str | None
    employees: int | None
    allowed: bool
    reason: str = Field(description="Which rule decided, or why every rule passed.")


def _email_of(services: Services, contact_id: str) -> str:
    try:
        return services.connectors.hubspot.get_contact(contact_id).email
    except ConnectorError as exc:
        if exc.status in (400, 404):  # HubSpot answers 400 for an id that cannot exist
            raise ContactNotFoundError(contact_id) from None
        raise


def check_contact(
    services: Services, *, email: str | None = None, contact_id: str | None = None
) -> ContactCheck:
    """Apply the active guardrail rules to the contact named by `email` or `contact_id`."""
    if (email is None) == (contact_id is None):
        raise SalesAgentError("name the contact by email or by contact_id (exactly one)")
    address = email if email is not None else _email_of(services, str(contact_id))
    identity = lookup_identity(services, address)
    with services.pool.connection() as conn:
        allowed, reason = is_allowed(identity, load_active_rules(conn))
    return ContactCheck(
        email=identity.email,
        contact_id=identity.contact_id,
        company_id=identity.company_id,
        company_name=identity.company_name,
        stage=identity.stage,
        industry=identity.industry,
        employees=identity.employees,
        allowed=allowed,
        reason=reason,
    )
