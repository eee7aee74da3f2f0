"""The portal around the CRM records: its owners, its forms and their submissions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sales_agent.connectors.hubspot_base import SERVICE
from sales_agent.connectors.hubspot_models import (
    CrmOwner,
    FormSubmissionPage,
    HubSpotForm,
    HubSpotFormSubmission,
)
from sales_agent.connectors.hubspot_objects import HubSpotObjects
from sales_agent.connectors.hubspot_parse import parse_owner
from sales_agent.errors import ConnectorError

__all__ = ["HubSpotPortal"]

_SUBMISSIONS_PATH = "/form-integrations/v1/submissions/forms/{formGuid}"
_MAX_SUBMISSIONS_PAGE = 50


class _Value(BaseModel):
    name: str
    value: str


class _Submission(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    conversion_id: str | None = Field(default=None, alias="conversionId")
    submitted_at: int = Field(alias="submittedAt", description="Epoch milliseconds.")
    page_url: str | None = Field(default=None, alias="pageUrl")
    values: list[_Value] = []


class _Next(BaseModel):
    after: str


class _Paging(BaseModel):
    next: _Next | None = None


class _SubmissionsPage(BaseModel):
    """The forms v1 answer, which the client library has no model for."""

    results: list[_Submission]
    paging: _Paging | None = None


def _field_names(form: Any) -> list[str]:
    return [field.name for group in form.field_groups or [] for field in group.fields or []]


class HubSpotPortal(HubSpotObjects):
    """Owners and forms."""

    def list_owners(self) -> list[CrmOwner]:
        """Every active owner of the portal."""
        owners_api = self._api.crm.owners.owners_api

        def fetch(after: str | None) -> Any:
            return owners_api.get_page(after=after, limit=100, _request_timeout=self._timeout)

        return [parse_owner(o) for page in self._every_page(fetch) for o in page.results]

    def get_owner(self, owner_id: str) -> CrmOwner:
        """One owner by id."""
        owners_api = self._api.crm.owners.owners_api
        owner = self._call(lambda: owners_api.get_by_id(owner_id, _request_timeout=self._timeout))
        return parse_owner(owner)

    def list_forms(self) -> list[HubSpotForm]:
        """Every form of the portal, so a poller knows which submissions to read."""
        forms_api = self._api.marketing.forms.forms_api

        def fetch(after: str | None) -> Any:
            return forms_api.get_page(after=after, limit=50, _request_timeout=self._timeout)

        return [
            HubSpotForm(id=f.id, name=f.name, created_at=f.created_at, field_names=_field_names(f))
            for page in self._every_page(fetch)
            for f in page.results
        ]

    def list_form_submissions(
        self, form_id: str, after: str | None = None, *, limit: int = _MAX_SUBMISSIONS_PAGE
    ) -> FormSubmissionPage:
        """One page of a form's submissions, newest first; pass the page's `after` for more."""
        query: list[tuple[str, Any]] = [("limit", min(limit, _MAX_SUBMISSIONS_PAGE))]
        if after is not None:
            query.append(("after", after))
        # Forms v1 has no generated API; the forms package's client still brings the host,
        # token, timeout and error types we use everywhere else.
        api_client = self._api.marketing.forms.forms_api.api_client
        raw = self._call(
            lambda: api_client.call_api(
                _SUBMISSIONS_PATH,
                "GET",
                path_params={"formGuid": form_id},
                query_params=query,
                header_params={"Accept": "application/json"},
                response_types_map={200: "object"},
                auth_settings=["oauth2"],
                _return_http_data_only=True,
                _request_timeout=self._timeout,
            )
        )
        try:
            page = _SubmissionsPage.model_validate(raw)
        except ValidationError as error:
            raise ConnectorError(SERVICE, f"unexpected form submissions page: {error}") from error
        return FormSubmissionPage(
            results=[
                HubSpotFormSubmission(
                    conversion_id=s.conversion_id,
                    form_id=form_id,
                    submitted_at=datetime.fromtimestamp(s.submitted_at / 1000, tz=UTC),
                    page_url=s.page_url,
                    values={v.name: v.value for v in s.values},
                )
                for s in page.results
            ],
            after=page.paging.next.after if page.paging and page.paging.next else None,
        )
