"""The CRM v3/v4 calls every object type shares: read, list, search, create, update, links."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any

from hubspot.crm.contacts import (
    AssociationSpec,
    BatchReadInputSimplePublicObjectId,
    Configuration,
    Filter,
    FilterGroup,
    PublicAssociationsForObject,
    PublicObjectId,
    PublicObjectSearchRequest,
    SimplePublicObjectId,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)

from sales_agent.connectors.hubspot_base import HubSpotBase
from sales_agent.connectors.hubspot_models import CrmFilter, CrmSort

__all__ = [
    "CONTACT_TO_COMPANY",
    "DEAL_TO_COMPANY",
    "DEAL_TO_CONTACT",
    "NOTE_TO_COMPANY",
    "NOTE_TO_CONTACT",
    "NOTE_TO_DEAL",
    "TASK_TO_COMPANY",
    "TASK_TO_CONTACT",
    "TASK_TO_DEAL",
    "HubSpotObjects",
    "Link",
]

# HUBSPOT_DEFINED association type ids (v4), read from the first object's side.
CONTACT_TO_COMPANY = 1
DEAL_TO_CONTACT = 3
DEAL_TO_COMPANY = 5
NOTE_TO_CONTACT = 202
NOTE_TO_COMPANY = 190
NOTE_TO_DEAL = 214
TASK_TO_CONTACT = 204
TASK_TO_COMPANY = 192
TASK_TO_DEAL = 216

Link = tuple[str, int]
"""An association to create: (target record id, association type id)."""

# Contacts, companies and deals have their own client packages; the others live in `objects`.
_OWN_PACKAGES = frozenset({"contacts", "companies", "deals"})
# One configuration for the request models we build: without it each model constructs its
# own Configuration, whose logging setup walks every logger (~0.25 ms, dozens per lead).
_MODEL: dict[str, Any] = {"local_vars_configuration": Configuration()}
_MAX_SEARCH_PAGE = 200
_MAX_BATCH_READ = 100


def _search_request(
    filters: Sequence[CrmFilter],
    sort: CrmSort | None,
    properties: list[str],
    limit: int,
    after: str | None,
) -> PublicObjectSearchRequest:
    group = [
        Filter(
            **_MODEL,
            property_name=f.property,
            operator=f.operator,
            value=f.value,
            values=f.values,
            high_value=f.high_value,
        )
        for f in filters
    ]
    sorts = []
    if sort is not None:
        direction = "DESCENDING" if sort.descending else "ASCENDING"
        sorts.append({"propertyName": sort.property, "direction": direction})
    return PublicObjectSearchRequest(
        **_MODEL,
        filter_groups=[FilterGroup(**_MODEL, filters=group)] if group else [],
        sorts=sorts,
        properties=properties,
        limit=min(limit, _MAX_SEARCH_PAGE),
        after=after,
    )


def _next_after(page: Any) -> str | None:
    return str(page.paging.next.after) if page.paging and page.paging.next else None


class HubSpotObjects(HubSpotBase):
    """Generic CRM calls by object type (`contacts`, `companies`, `deals`, `notes`, `tasks`)."""

    def _apis(self, object_type: str) -> Any:
        crm = self._api.crm
        return getattr(crm if object_type in _OWN_PACKAGES else crm.objects, object_type)

    def _read(
        self,
        object_type: str,
        object_id: str,
        properties: list[str],
        associations: Sequence[str] = (),
        id_property: str | None = None,
    ) -> Any:
        basic = self._apis(object_type).basic_api
        options: dict[str, Any] = {"properties": properties}
        if associations:
            options["associations"] = list(associations)
        if id_property is not None:
            options["id_property"] = id_property
        return self._call(
            lambda: basic.get_by_id(object_id, **options, _request_timeout=self._timeout)
        )

    def _list(
        self,
        object_type: str,
        properties: list[str],
        limit: int,
        after: str | None,
        *,
        archived: bool = False,
        associations: Sequence[str] = (),
    ) -> tuple[list[Any], str | None]:
        basic = self._apis(object_type).basic_api
        options: dict[str, Any] = {"associations": list(associations)} if associations else {}
        page = self._call(
            lambda: basic.get_page(
                limit=limit,
                after=after,
                properties=properties,
                archived=archived,
                **options,
                _request_timeout=self._timeout,
            )
        )
        return list(page.results), _next_after(page)

    def _search(
        self,
        object_type: str,
        filters: Sequence[CrmFilter],
        properties: list[str],
        *,
        sort: CrmSort | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> tuple[list[Any], int, str | None]:
        """One page of matches: (records, total matches, next `after`)."""
        search_api = self._apis(object_type).search_api
        request = _search_request(filters, sort, properties, limit, after)
        page = self._call(
            lambda: search_api.do_search(
                public_object_search_request=request, _request_timeout=self._timeout
            )
        )
        return list(page.results), int(page.total), _next_after(page)

    def _create(
        self, object_type: str, properties: Mapping[str, str], links: Sequence[Link] = ()
    ) -> Any:
        record = SimplePublicObjectInputForCreate(
            **_MODEL,
            properties=dict(properties),
            associations=[
                PublicAssociationsForObject(
                    **_MODEL,
                    to=PublicObjectId(**_MODEL, id=target),
                    types=[
                        AssociationSpec(
                            **_MODEL,
                            association_category="HUBSPOT_DEFINED",
                            association_type_id=type_id,
                        )
                    ],
                )
                for target, type_id in links
            ],
        )
        basic = self._apis(object_type).basic_api
        return self._call(
            lambda: basic.create(
                simple_public_object_input_for_create=record, _request_timeout=self._timeout
            ),
            idempotent=False,
        )

    def _update(self, object_type: str, object_id: str, properties: Mapping[str, str]) -> Any:
        basic = self._apis(object_type).basic_api
        change = SimplePublicObjectInput(**_MODEL, properties=dict(properties))
        return self._call(
            lambda: basic.update(
                object_id, simple_public_object_input=change, _request_timeout=self._timeout
            )
        )

    def _read_many(self, object_type: str, ids: Sequence[str], properties: list[str]) -> list[Any]:
        """Batch-read records by id, in the order given; unknown ids are left out."""
        batch = self._apis(object_type).batch_api
        found: dict[str, Any] = {}
        for start in range(0, len(ids), _MAX_BATCH_READ):
            request = BatchReadInputSimplePublicObjectId(
                **_MODEL,
                inputs=[
                    SimplePublicObjectId(**_MODEL, id=i)
                    for i in ids[start : start + _MAX_BATCH_READ]
                ],
                properties=properties,
                properties_with_history=[],
            )
            page = self._call(
                partial(
                    batch.read,
                    batch_read_input_simple_public_object_id=request,
                    _request_timeout=self._timeout,
                )
            )
            found.update({str(r.id): r for r in page.results})
        return [found[i] for i in ids if i in found]

    def _every_page(self, fetch: Callable[[str | None], Any]) -> Iterator[Any]:
        """Each page of a listing, `fetch(after)` following `paging.next.after` to the end."""
        after: str | None = None
        while True:
            page = self._call(partial(fetch, after))
            yield page
            after = _next_after(page)
            if after is None:
                return

    def _linked_ids(self, object_type: str, object_id: str, to_type: str) -> list[str]:
        """Ids of every `to_type` record associated with this one (CRM v4, all pages)."""
        v4 = self._api.crm.associations.v4.basic_api

        def fetch(after: str | None) -> Any:
            return v4.get_page(
                object_type, object_id, to_type, after=after, _request_timeout=self._timeout
            )

        return [str(row.to_object_id) for page in self._every_page(fetch) for row in page.results]
