"""The HubSpot surface: CRM v3 objects (and their removal) and owners, v4 associations, forms."""

from __future__ import annotations

from fastapi import APIRouter

from sales_agent.sandbox import (
    _hubspot_associations,
    _hubspot_forms,
    _hubspot_objects,
    _hubspot_owners,
    _hubspot_removal,
)

__all__ = ["router"]

router = APIRouter()
for _module in (
    _hubspot_objects,
    _hubspot_removal,
    _hubspot_associations,
    _hubspot_owners,
    _hubspot_forms,
):
    router.include_router(_module.router)
