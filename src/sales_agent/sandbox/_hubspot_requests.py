"""Request bodies of the HubSpot CRM v3 object routes, validated as HubSpot validates them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._hubspot_search import PropertyFilter, Sort

__all__ = ["BatchReadRequest", "CreateRequest", "SearchRequest", "UpdateRequest"]

Operator = Literal[
    "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY",
    "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
]  # fmt: skip


class _Schema(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class _Filter(_Schema):
    property_name: str = Field(alias="propertyName")
    operator: Operator
    value: str | None = None
    values: list[str] = []
    high_value: str | None = Field(default=None, alias="highValue")


class _FilterGroup(_Schema):
    # HubSpot's limits: 5 groups of at most 6 filters (and 18 filters in all).
    filters: list[_Filter] = Field(max_length=6)


class _SortSpec(_Schema):
    property_name: str = Field(alias="propertyName")
    direction: Literal["ASCENDING", "DESCENDING"] = "ASCENDING"


class SearchRequest(_Schema):
    """POST /crm/v3/objects/{type}/search."""

    filter_groups: list[_FilterGroup] = Field(default=[], alias="filterGroups", max_length=5)
    # Each sort is {"propertyName", "direction"}, or a name with "-" for descending.
    sorts: list[_SortSpec | str] = []
    query: str | None = None
    properties: list[str] = []
    limit: int = Field(default=10, ge=1, le=200)
    after: str | None = None

    def groups(self) -> list[list[PropertyFilter]]:
        """The filter groups in the store's terms."""
        return [
            [
                PropertyFilter(f.property_name, f.operator, f.value, tuple(f.values), f.high_value)
                for f in group.filters
            ]
            for group in self.filter_groups
        ]

    def sort_order(self) -> list[Sort]:
        """The sorts in the store's terms."""
        return [
            Sort(s.property_name, s.direction == "DESCENDING")
            if isinstance(s, _SortSpec)
            else Sort(s.removeprefix("-"), s.startswith("-"))
            for s in self.sorts
        ]


class _AssociationSpec(_Schema):
    association_category: Literal["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"] = Field(
        default="HUBSPOT_DEFINED", alias="associationCategory"
    )
    association_type_id: int = Field(alias="associationTypeId")


class _ObjectId(_Schema):
    id: str


class _AssociationInput(_Schema):
    to: _ObjectId
    types: list[_AssociationSpec] = Field(min_length=1)


class CreateRequest(_Schema):
    """POST /crm/v3/objects/{type}."""

    properties: dict[str, str | None]
    associations: list[_AssociationInput] = []

    def links(self) -> list[tuple[str, int]]:
        """(target id, association type id) pairs."""
        return [(a.to.id, t.association_type_id) for a in self.associations for t in a.types]


class UpdateRequest(_Schema):
    """PATCH /crm/v3/objects/{type}/{id}."""

    properties: dict[str, str | None]


class BatchReadRequest(_Schema):
    """POST /crm/v3/objects/{type}/batch/read."""

    inputs: list[_ObjectId] = Field(max_length=100)
    properties: list[str] = []
    id_property: str | None = Field(default=None, alias="idProperty")
