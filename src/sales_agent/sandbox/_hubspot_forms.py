"""HubSpot forms: definitions (marketing v3) and their submissions (form-integrations v1)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._errors import NotFoundError
from sales_agent.sandbox._formats import utc_timestamp
from sales_agent.sandbox._hubspot_render import offset, paging
from sales_agent.sandbox._hubspot_seed import Form, FormField, FormSubmission
from sales_agent.sandbox.workspace import Workspace

__all__ = ["router"]

router = APIRouter()

_CONTACT_TYPE_ID = "0-1"
# HubSpot's default look, every member of which the forms API always returns.
_STYLE = {
    "fontFamily": "arial, helvetica, sans-serif",
    "backgroundWidth": "100%",
    "labelTextColor": "#33475b",
    "labelTextSize": "14px",
    "helpTextColor": "#7C98B6",
    "helpTextSize": "11px",
    "legalConsentTextColor": "#33475b",
    "legalConsentTextSize": "14px",
    "submitColor": "#ff7a59",
    "submitAlignment": "left",
    "submitFontColor": "#ffffff",
    "submitSize": "12px",
}


def _field(field: FormField) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "objectTypeId": _CONTACT_TYPE_ID,
        "name": field.name,
        "label": field.label,
        "required": field.required,
        "hidden": False,
        "fieldType": field.field_type,
        "dependentFields": [],
    }
    if field.field_type == "email":
        rendered["validation"] = {"blockedEmailDomains": [], "useDefaultBlockList": False}
    return rendered


def _form(form: Form) -> dict[str, Any]:
    """A hubspot-type form definition; HubSpot puts each field in a group of its own."""
    stamp = utc_timestamp(form.created_at, millis=True)
    return {
        "id": form.id,
        "name": form.name,
        "formType": "hubspot",
        "createdAt": stamp,
        "updatedAt": stamp,
        "archived": False,
        "fieldGroups": [
            {"groupType": "default_group", "richTextType": "text", "fields": [_field(f)]}
            for f in form.fields
        ],
        "configuration": {
            "language": "en",
            "cloneable": True,
            "editable": True,
            "archivable": True,
            "recaptchaEnabled": False,
            "notifyContactOwner": False,
            "notifyRecipients": [],
            "createNewContactForNewEmail": False,
            "prePopulateKnownValues": True,
            "allowLinkToResetKnownValues": False,
            "lifecycleStages": [],
            "postSubmitAction": {"type": "thank_you", "value": "Thanks, we'll be in touch."},
        },
        "displayOptions": {
            "renderRawHtml": False,
            "theme": "default_style",
            "submitButtonText": "Submit",
            "style": _STYLE,
            "cssClass": "",
        },
        "legalConsentOptions": {"type": "none"},
    }


def _find_form(workspace: Workspace, form_id: str) -> Form:
    for form in workspace.forms:
        if form.id == form_id:
            return form
    raise NotFoundError(f"Form not found: {form_id}")


def _submission(submission: FormSubmission) -> dict[str, Any]:
    return {
        "conversionId": submission.id,
        "submittedAt": int(submission.submitted_at.timestamp() * 1000),
        "values": [
            {"name": name, "value": value, "objectTypeId": _CONTACT_TYPE_ID}
            for name, value in submission.values.items()
        ],
        "pageUrl": submission.page_url,
    }


# The client library asks for `/marketing/v3/forms/`; people type it without the slash.
@router.get("/marketing/v3/forms")
@router.get("/marketing/v3/forms/")
async def list_forms(
    workspace: WorkspaceDep,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    after: str | None = None,
) -> dict[str, Any]:
    """The portal's forms, oldest first."""
    forms = sorted(workspace.forms, key=lambda f: f.created_at)
    start = offset(after)
    end = start + limit
    return {
        "results": [_form(f) for f in forms[start:end]],
        **paging(request, str(end) if end < len(forms) else None),
    }


@router.get("/marketing/v3/forms/{form_id}")
async def read_form(workspace: WorkspaceDep, form_id: str) -> dict[str, Any]:
    """One form definition."""
    return _form(_find_form(workspace, form_id))


@router.get("/form-integrations/v1/submissions/forms/{form_id}")
async def list_submissions(
    workspace: WorkspaceDep,
    request: Request,
    form_id: str,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    after: str | None = None,
) -> dict[str, Any]:
    """A form's submissions, newest first; `after` continues where a page ended."""
    _find_form(workspace, form_id)
    submissions = [s for s in workspace.form_submissions if s.form_id == form_id]
    start = offset(after)
    end = start + limit
    return {
        "results": [_submission(s) for s in submissions[start:end]],
        **paging(request, str(end) if end < len(submissions) else None),
    }
