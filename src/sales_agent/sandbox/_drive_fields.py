"""Drive's `fields` partial-response masks: `nextPageToken, files(id, name)`, `files/id`, `*`.

A mask parses to a tree: each key maps to its own sub-mask, or to None for "all of it".
"""

from __future__ import annotations

import re
from typing import Any

from sales_agent.sandbox._errors import InvalidRequestError

__all__ = ["FieldMask", "apply_mask", "parse_mask"]

FieldMask = dict[str, "FieldMask | None"]

_NAME = re.compile(r"[A-Za-z0-9_*]+")


def _invalid(mask: str) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid field selection {mask}", reason="invalidParameter")


def _merge(into: FieldMask, key: str, sub: FieldMask | None) -> None:
    if key in into and (into[key] is None or sub is None):
        into[key] = None
    elif key in into:
        existing = into[key]
        assert existing is not None and sub is not None
        for inner, inner_sub in sub.items():
            _merge(existing, inner, inner_sub)
    else:
        into[key] = sub


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = re.sub(r"\s+", "", text)
        self.pos = 0

    def mask(self, closing: str | None) -> FieldMask:
        tree: FieldMask = {}
        while True:
            path = [self.name()]
            while self.peek("/"):
                self.pos += 1
                path.append(self.name())
            sub: FieldMask | None = None
            if self.peek("("):
                self.pos += 1
                sub = self.mask(")")
                self.pos += 1
            for key in reversed(path[1:]):
                sub = {key: sub}
            _merge(tree, path[0], sub)
            if self.peek(","):
                self.pos += 1
                continue
            if (closing is None and self.pos == len(self.text)) or (
                closing is not None and self.peek(closing)
            ):
                return tree
            raise _invalid(self.text)

    def name(self) -> str:
        match = _NAME.match(self.text, self.pos)
        if match is None:
            raise _invalid(self.text)
        self.pos = match.end()
        return match.group()

    def peek(self, char: str) -> bool:
        return self.text.startswith(char, self.pos)


def parse_mask(text: str) -> FieldMask:
    """Parse a `fields` value; a malformed one is Drive's 400."""
    return _Parser(text).mask(None)


def apply_mask(value: Any, mask: FieldMask | None) -> Any:
    """Keep only the selected parts of a resource (lists are selected element by element)."""
    if mask is None:
        return value
    if isinstance(value, list):
        return [apply_mask(element, mask) for element in value]
    if not isinstance(value, dict):
        return value
    if "*" in mask:
        return {key: apply_mask(item, mask.get(key)) for key, item in value.items()}
    return {key: apply_mask(value[key], sub) for key, sub in mask.items() if key in value}
