"""Drive v3 listing: search queries (`q`) parsed to a predicate, and `orderBy`.

Supported terms: `'<id>' in parents`, `'<email>' in owners`, `name` and `mimeType` with
`=`, `!=` and `contains`, `modifiedTime` and `createdTime` compared to an RFC 3339 string,
`trashed` and `starred` with `=` and `!=`; combined with `and`, `or`, `not` and parentheses.
As in Drive, `name contains` matches the start of a word ("Ops" finds "Halden Ops Review",
"view" does not), case-insensitively.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sales_agent.sandbox._drive_store import FOLDER, DriveItem, DriveStore
from sales_agent.sandbox._errors import InvalidRequestError

__all__ = ["DEFAULT_ORDER", "Predicate", "order_items", "parse_query"]

Predicate = Callable[[DriveItem], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:\\.|[^'\\])*')|(?P<op>!=|<=|>=|=|<|>)|(?P<paren>[()])"
    r"|(?P<word>[A-Za-z_]+))"
)
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_TIME_FIELDS = {"modifiedTime": "modified", "createdTime": "created"}
_BOOL_FIELDS = ("trashed", "starred")


class QueryError(InvalidRequestError):
    """A query Drive would refuse: 400 "Invalid Value" on the `q` parameter."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Invalid Value (q: {detail})", reason="invalid")


def _tokens(query: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    while query[pos:].strip():
        match = _TOKEN.match(query, pos)
        if match is None or match.lastgroup is None:
            raise QueryError(f"cannot read {query[pos:].strip()[:20]!r}")
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        pos = match.end()
    return tokens


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def _word_prefix(name: str, wanted: str) -> bool:
    name, wanted = name.casefold(), wanted.casefold()
    return any(
        name.startswith(wanted, i) and (i == 0 or not name[i - 1].isalnum())
        for i in range(len(name))
    )


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise QueryError(f"{text!r} is not an RFC 3339 date-time") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # Drive's default is UTC


class _Parser:
    def __init__(self, query: str, store: DriveStore, me: str) -> None:
        self.tokens = _tokens(query)
        self.pos = 0
        self.store = store
        self.me = me

    def parse(self) -> Predicate:
        predicate = self.disjunction()
        if self.pos != len(self.tokens):
            raise QueryError(f"unexpected {self.tokens[self.pos][1]!r}")
        return predicate

    def take(self, kind: str, value: str | None = None) -> str | None:
        if self.pos < len(self.tokens):
            token_kind, token = self.tokens[self.pos]
            if token_kind == kind and (value is None or token.lower() == value):
                self.pos += 1
                return token
        return None

    def expect(self, kind: str, value: str | None = None) -> str:
        token = self.take(kind, value)
        if token is None:
            found = self.tokens[self.pos][1] if self.pos < len(self.tokens) else "the end"
            raise QueryError(f"expected {value or kind}, found {found!r}")
        return token

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.take("word", "or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda item: any(p(item) for p in parts)

    def conjunction(self) -> Predicate:
        parts = [self.negation()]
        while self.take("word", "and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else lambda item: all(p(item) for p in parts)

    def negation(self) -> Predicate:
        if self.take("word", "not"):
            inner = self.negation()
            return lambda item: not inner(item)
        if self.take("paren", "("):
            inner = self.disjunction()
            self.expect("paren", ")")
            return inner
        return self.term()

    def term(self) -> Predicate:
        literal = self.take("string")
        if literal is not None:
            return self.membership(_unquote(literal))
        field = self.expect("word")
        if self.take("word", "contains"):
            return self.contains(field, _unquote(self.expect("string")))
        op = self.expect("op")
        if field in _BOOL_FIELDS:
            return self.flag(field, op)
        value = _unquote(self.expect("string"))
        if field in _TIME_FIELDS and op in _COMPARE:
            attribute, moment = _TIME_FIELDS[field], _moment(value)
            return lambda item: bool(_COMPARE[op](getattr(item, attribute), moment))
        if field in ("name", "mimeType") and op in ("=", "!="):
            attribute = "name" if field == "name" else "mime_type"
            return lambda item: bool(_COMPARE[op](getattr(item, attribute), value))
        raise QueryError(f"{field} {op} is not supported")

    def membership(self, value: str) -> Predicate:
        self.expect("word", "in")
        collection = self.expect("word")
        if collection == "parents":
            parent = self.store.resolve(value)
            return lambda item: parent in item.parents
        if collection == "owners":
            owner = self.me if value == "me" else value
            return lambda item: item.owner.email == owner
        raise QueryError(f"'...' in {collection} is not supported")

    def contains(self, field: str, value: str) -> Predicate:
        if field == "name":
            return lambda item: _word_prefix(item.name, value)
        if field == "mimeType":
            return lambda item: value in item.mime_type
        raise QueryError(f"{field} contains is not supported")

    def flag(self, field: str, op: str) -> Predicate:
        literal = self.expect("word").lower()
        if op not in ("=", "!=") or literal not in ("true", "false"):
            raise QueryError(f"{field} takes = or != with true or false")
        wanted = (literal == "true") == (op == "=")
        return lambda item: getattr(item, field) is wanted


def parse_query(query: str, store: DriveStore, *, me: str) -> Predicate:
    """Compile `q`; `me` is the caller's address (for `'me' in owners`)."""
    if not query.strip():
        return lambda item: True
    return _Parser(query, store, me).parse()


_ORDER_KEYS: dict[str, Callable[[DriveItem], Any]] = {
    "folder": lambda item: item.mime_type != FOLDER,
    "modifiedTime": lambda item: item.modified,
    "recency": lambda item: item.modified,
    "createdTime": lambda item: item.created,
    "name": lambda item: item.name.casefold(),
    "name_natural": lambda item: item.name.casefold(),
    "starred": lambda item: item.starred,
}
DEFAULT_ORDER = "modifiedTime desc"


def order_items(items: list[DriveItem], order_by: str | None) -> list[DriveItem]:
    """Sort by an `orderBy` value such as `folder,modifiedTime desc,name`; id breaks ties."""
    ordered = sorted(items, key=lambda item: item.id)
    keys = [part.split() for part in (order_by or DEFAULT_ORDER).split(",") if part.strip()]
    # Stable sorts from the last key to the first give the multi-key order.
    for words in reversed(keys):
        if words[0] not in _ORDER_KEYS or words[1:] not in ([], ["asc"], ["desc"]):
            raise InvalidRequestError(f"Invalid Value (orderBy: {order_by})", reason="invalid")
        ordered.sort(key=_ORDER_KEYS[words[0]], reverse=words[1:] == ["desc"])
    return ordered
