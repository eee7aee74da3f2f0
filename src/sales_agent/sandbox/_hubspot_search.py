"""The CRM search semantics: filter operators and sorts, as HubSpot applies them.

Strings compare case-insensitively; GT/LT/BETWEEN compare numbers, and datetimes given as
ISO 8601 or epoch milliseconds; a record without the property matches no comparison.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import NamedTuple, TypeVar

from sales_agent.sandbox._hubspot_schema import to_number

__all__ = ["PropertyFilter", "Sort", "matches", "ordered"]

T = TypeVar("T")
Props = Callable[[T], Mapping[str, str | None]]

_WORD_BREAK = re.compile(r"[^\w@.*'-]+")


class PropertyFilter(NamedTuple):
    """One search filter; filters in a group are ANDed, groups are ORed."""

    property_name: str
    operator: str
    value: str | None = None
    values: tuple[str, ...] = ()
    high_value: str | None = None


class Sort(NamedTuple):
    """Order by a property, ascending unless `descending`."""

    property_name: str
    descending: bool = False


def _tokens(text: str) -> set[str]:
    """The words HubSpot indexes: the whole value, its words, and each email's parts."""
    lowered = text.lower()
    words = {w for w in _WORD_BREAK.split(lowered) if w}
    return {lowered} | words | {part for w in words for part in re.split(r"[@.]", w) if part}


def _contains_token(actual: str, pattern: str) -> bool:
    """`*` is a wildcard, as in `*@example.com`."""
    return any(fnmatchcase(token, pattern.lower()) for token in _tokens(actual))


def _compare(actual: str | None, flt: PropertyFilter) -> bool:
    number = to_number(actual)
    low = to_number(flt.value)
    if number is None or low is None:
        return False
    if flt.operator == "BETWEEN":
        high = to_number(flt.high_value)
        return high is not None and low <= number <= high
    return {
        "GT": number > low,
        "GTE": number >= low,
        "LT": number < low,
        "LTE": number <= low,
    }[flt.operator]


def _equal(actual: str | None, expected: str | None) -> bool:
    if actual is None or expected is None:
        return False
    if actual.lower() == expected.lower():
        return True
    # 180 == 180.0, and a datetime equals its epoch milliseconds.
    left, right = to_number(actual), to_number(expected)
    return left is not None and left == right


def matches(properties: Mapping[str, str | None], flt: PropertyFilter) -> bool:
    """Whether a record with these properties passes the filter."""
    actual = properties.get(flt.property_name)
    op = flt.operator
    if op in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        return (actual not in (None, "")) == (op == "HAS_PROPERTY")
    if op in ("EQ", "NEQ"):
        return _equal(actual, flt.value) == (op == "EQ")
    if op in ("IN", "NOT_IN"):
        return any(_equal(actual, v) for v in flt.values) == (op == "IN")
    if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        found = actual is not None and _contains_token(actual, flt.value or "")
        return found == (op == "CONTAINS_TOKEN")
    return _compare(actual, flt)


def _sortable(value: str) -> tuple[int, float, str]:
    number = to_number(value)
    return (0, number, "") if number is not None else (1, 0.0, value.lower())


def ordered(records: Sequence[T], sorts: Sequence[Sort], properties: Props[T]) -> list[T]:
    """Records ordered by `sorts`, first sort first; unset values last, numbers numerically."""
    result = list(records)
    for sort in reversed(sorts):  # stable sorts, least significant first
        name = sort.property_name
        present = [r for r in result if properties(r).get(name) not in (None, "")]
        missing = [r for r in result if properties(r).get(name) in (None, "")]
        present.sort(key=lambda r: _sortable(properties(r)[name] or ""), reverse=sort.descending)
        result = present + missing
    return result
