"""The Agent Server's store API over the agent's own `PostgresStore`, one operator at a time.

Every namespace a client names is inside the caller's operator namespace,
`("operators", <operator>)`, which the server adds on the way in and strips on the way out:
a client cannot name a namespace outside it, so one operator's key never reads another's
memories. The caller's operator is the key's name when it is an email address (`sales-agent
admin create-key --name dana@...`), otherwise the deployment's operator
(`SALES_AGENT_OPERATOR_EMAIL`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from langgraph.store.base import BaseStore, Item
from pydantic import BaseModel, Field

from sales_agent.memory.operator_memory import operator_prefix
from sales_agent.server.auth import CurrentPrincipal
from sales_agent.server.errors import ApiError
from sales_agent.services import Services

__all__ = ["ScopedStore", "router"]

router = APIRouter(tags=["store"])


class StorePut(BaseModel):
    """PUT /store/items."""

    namespace: list[str] = Field(min_length=1)
    key: str = Field(min_length=1)
    value: dict[str, Any]
    index: Any = None
    ttl: float | None = None


class StoreDelete(BaseModel):
    """DELETE /store/items."""

    namespace: list[str] = Field(min_length=1)
    key: str = Field(min_length=1)


class StoreSearch(BaseModel):
    """POST /store/items/search."""

    namespace_prefix: list[str] = Field(default_factory=list)
    filter: dict[str, Any] | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)
    query: str | None = None


class StoreNamespaces(BaseModel):
    """POST /store/namespaces."""

    prefix: list[str] = Field(default_factory=list)
    suffix: list[str] | None = None
    max_depth: int | None = Field(default=None, ge=1)
    limit: int = Field(default=100, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


def _labels(namespace: list[str]) -> tuple[str, ...]:
    """The labels, or 422: the store refuses empty labels, and '.' joins them in URLs."""
    if any(not label or "." in label for label in namespace):
        raise ApiError(
            422, "invalid_namespace", "namespace labels must be non-empty and hold no '.'"
        )
    return tuple(namespace)


@contextmanager
def _refused() -> Iterator[None]:
    # The store checks labels (no NUL) and filters (known operators) itself, with ValueError.
    try:
        yield
    except ValueError as exc:
        raise ApiError(422, "invalid_store_request", str(exc)) from None


class ScopedStore:
    """A store seen from inside one operator's namespace."""

    def __init__(self, store: BaseStore, operator_email: str) -> None:
        self._store = store
        self._root = operator_prefix(operator_email)

    def _inside(self, namespace: list[str]) -> tuple[str, ...]:
        return (*self._root, *_labels(namespace))

    def _item(self, item: Item) -> dict[str, Any]:
        shown = item.dict()
        shown["namespace"] = list(item.namespace[len(self._root) :])
        return shown

    def put(self, body: StorePut) -> None:
        """Write an item."""
        with _refused():
            self._store.put(self._inside(body.namespace), body.key, body.value, index=body.index)

    def get(self, namespace: list[str], key: str) -> dict[str, Any]:
        """One item, or 404."""
        with _refused():
            item = self._store.get(self._inside(namespace), key)
        if item is None:
            raise ApiError(404, "item_not_found", f"no item {key} in {'.'.join(namespace)}")
        return self._item(item)

    def delete(self, body: StoreDelete) -> None:
        """Delete an item (nothing happens when it does not exist)."""
        with _refused():
            self._store.delete(self._inside(body.namespace), body.key)

    def search(self, body: StoreSearch) -> dict[str, Any]:
        """Items under a namespace prefix, filtered by value, or ranked by `query`."""
        with _refused():
            found = self._store.search(
                self._inside(body.namespace_prefix),
                filter=body.filter,
                limit=body.limit,
                offset=body.offset,
                query=body.query,
            )
        return {"items": [self._item(item) for item in found]}

    def namespaces(self, body: StoreNamespaces) -> dict[str, Any]:
        """The namespaces inside the operator's, by prefix and suffix."""
        depth = body.max_depth + len(self._root) if body.max_depth else None
        with _refused():
            found = self._store.list_namespaces(
                prefix=self._inside(body.prefix),
                suffix=_labels(body.suffix) if body.suffix else None,
                max_depth=depth,
                limit=body.limit,
                offset=body.offset,
            )
        return {"namespaces": [list(ns[len(self._root) :]) for ns in found]}


def _scoped(request: Request, principal: CurrentPrincipal) -> ScopedStore:
    services: Services = request.app.state.services
    store = request.app.state.threads.graph.store
    operator = principal.name if "@" in principal.name else services.settings.operator_email
    return ScopedStore(store, operator)


StoreDep = Annotated[ScopedStore, Depends(_scoped)]


@router.put("/store/items", status_code=204)
def put_item(body: StorePut, store: StoreDep) -> Response:
    """Store an item in one of the caller's namespaces."""
    store.put(body)
    return Response(status_code=204)


@router.get("/store/items")
def get_item(
    store: StoreDep, key: str, namespace: Annotated[str, Query(min_length=1)]
) -> dict[str, Any]:
    """One item; `namespace` is its labels joined with '.'."""
    return store.get(namespace.split("."), key)


@router.delete("/store/items", status_code=204)
def delete_item(body: StoreDelete, store: StoreDep) -> Response:
    """Delete an item."""
    store.delete(body)
    return Response(status_code=204)


@router.post("/store/items/search")
def search_items(body: StoreSearch, store: StoreDep) -> dict[str, Any]:
    """Items under a namespace prefix: `{"items": [...]}`."""
    return store.search(body)


@router.post("/store/namespaces")
def list_namespaces(body: StoreNamespaces, store: StoreDep) -> dict[str, Any]:
    """The caller's namespaces: `{"namespaces": [[...]]}`."""
    return store.namespaces(body)
