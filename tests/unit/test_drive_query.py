"""The sandbox's Drive query language, field masks and ordering, on a hand-built store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sales_agent.sandbox._drive_fields import apply_mask, parse_mask
from sales_agent.sandbox._drive_query import order_items, parse_query
from sales_agent.sandbox._drive_store import DOCUMENT, FOLDER, DriveItem, DriveStore, Owner
from sales_agent.sandbox._errors import InvalidRequestError
from sales_agent.sandbox._formats import page_offset, page_token

DANA = Owner("dana@example.com", "Dana", "1")
TOMAS = Owner("tomas@example.com", "Tomás", "2")


def _item(item_id: str, name: str, *, day: int, **fields: object) -> DriveItem:
    defaults: dict[str, object] = {
        "mime_type": DOCUMENT,
        "parents": ("F1",),
        "owner": DANA,
        "text": "x",
    }
    when = datetime(2026, 3, day, 12, tzinfo=UTC)
    return DriveItem(id=item_id, name=name, created=when, modified=when, **(defaults | fields))


LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
ROOT = DriveItem("R0", "My Drive", FOLDER, (), LONG_AGO, LONG_AGO, DANA)
STORE = DriveStore(
    root=ROOT,
    items={
        item.id: item
        for item in (
            _item("F1", "CP Reports", day=1, mime_type=FOLDER, parents=("R0",), text=None),
            _item("a", "Halden Ops Review", day=10),
            _item("b", "halden-kpis.pdf", day=12, mime_type="application/pdf", text=None),
            _item("c", "O'Brien notes", day=5, owner=TOMAS, trashed=True),
            _item("d", "Shaldene", day=20, parents=("F2",)),
        )
    },
)


def _ids(query: str) -> set[str]:
    predicate = parse_query(query, STORE, me=DANA.email)
    return {item.id for item in STORE.listable() if predicate(item)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"F1", "a", "b", "c", "d"}),
        ("'root' in parents", {"F1"}),
        ("'F1' in parents and trashed = false", {"a", "b"}),
        ("trashed != false", {"c"}),
        (f"mimeType = '{FOLDER}'", {"F1"}),
        (f"mimeType != '{DOCUMENT}' and mimeType != '{FOLDER}'", {"b"}),
        ("mimeType contains 'pdf'", {"b"}),
        ("name contains 'halden'", {"a", "b"}),  # word starts, any case
        ("name contains 'Ops'", {"a"}),
        ("name contains 'view'", set()),  # the middle of a word does not match
        ("name contains 'kpis'", {"b"}),  # after a hyphen, a new word starts
        (r"name = 'O\'Brien notes'", {"c"}),
        ("modifiedTime > '2026-03-10T12:00:00Z'", {"b", "d"}),
        ("modifiedTime >= '2026-03-10T12:00:00'", {"a", "b", "d"}),  # no offset reads as UTC
        ("createdTime < '2026-03-06T00:00:00+00:00'", {"F1", "c"}),
        ("'me' in owners and not 'F1' in parents", {"F1", "d"}),
        ("'tomas@example.com' in owners", {"c"}),
        ("('F1' in parents or 'F2' in parents) and name contains 'hal'", {"a", "b"}),
        ("'F2' in parents or 'F1' in parents and trashed = true", {"c", "d"}),  # and binds first
        ("NOT trashed = true AND name contains 'shal'", {"d"}),
    ],
)
def test_query_terms_and_combinations(query: str, expected: set[str]) -> None:
    assert _ids(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "name contanz 'x'",
        "name =",
        "'F1' in children",
        "(trashed = false",
        "trashed = false)",
        "trashed = maybe",
        "trashed > false",
        "modifiedTime > 'yesterday'",
        "name > 'a'",
        "fullText contains 'x'",
        "name = 'unterminated",
    ],
)
def test_bad_queries_are_refused(query: str) -> None:
    with pytest.raises(InvalidRequestError) as excinfo:
        parse_query(query, STORE, me=DANA.email)
    assert excinfo.value.reason == "invalid"


def test_field_masks_select_nested_parts() -> None:
    resource = {
        "kind": "drive#fileList",
        "nextPageToken": "t",
        "files": [{"id": "a", "name": "A", "owners": [{"emailAddress": "e", "me": True}]}],
    }

    assert apply_mask(resource, parse_mask("nextPageToken, files(id, name)")) == {
        "nextPageToken": "t",
        "files": [{"id": "a", "name": "A"}],
    }
    assert apply_mask(resource, parse_mask("files/owners/emailAddress")) == {
        "files": [{"owners": [{"emailAddress": "e"}]}]
    }
    assert apply_mask(resource, parse_mask("files(id),files(owners(me))")) == {
        "files": [{"id": "a", "owners": [{"me": True}]}]
    }
    assert apply_mask(resource, parse_mask("*")) == resource
    assert apply_mask(resource, parse_mask("files(*)")) == {"files": resource["files"]}
    for bad in ("files(id", "files)", "a,,b", "files(id)x", ""):
        with pytest.raises(InvalidRequestError):
            parse_mask(bad)


def test_order_by_keys_and_directions() -> None:
    items = STORE.listable()

    def names(order: str | None) -> list[str]:
        return [item.id for item in order_items(items, order)]

    assert names(None) == ["d", "b", "a", "c", "F1"]  # newest first by default
    assert names("modifiedTime") == ["F1", "c", "a", "b", "d"]
    assert names("folder,name desc") == ["F1", "d", "c", "b", "a"]
    assert names("name") == ["F1", "a", "b", "c", "d"]
    with pytest.raises(InvalidRequestError):
        order_items(items, "size")
    with pytest.raises(InvalidRequestError):
        order_items(items, "name sideways")


def test_page_tokens_round_trip_and_refuse_forgeries() -> None:
    assert page_offset(None) == 0
    assert page_offset(page_token(40)) == 40
    for forged in ("abc", "b2Zmc2V0Oi0x", "!!!"):
        with pytest.raises(InvalidRequestError):
            page_offset(forged)
