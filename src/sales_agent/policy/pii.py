"""PII redaction: emails, phones, amounts, URLs, domains, person and company names.

A `Redactor` replaces each detail with a placeholder (`[EMAIL]`, `[PHONE]`, `[AMOUNT]`,
`[URL]`, `[DOMAIN]`, `[NAME]`, `[COMPANY]`). Person names come from a list (CRM contacts and
a packaged list of common first names) and match only when capitalised, which keeps
"will" or "may" in prose; company names come from the CRM. The process has one default
redactor (`set_default_redactor`), used by `redact_value` (audit metadata, voice profiles)
and by the logging filter that `install_log_redaction` puts on the root logger's handlers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from sales_agent.policy.pii_patterns import DETAILS, is_phone, literal_alternation
from sales_agent.policy.secret_redaction import redact_secrets

if TYPE_CHECKING:
    from sales_agent.policy.crm_names import CrmNames

__all__ = [
    "PLACEHOLDERS",
    "PiiLogFilter",
    "Redactor",
    "default_redactor",
    "install_log_redaction",
    "packaged_first_names",
    "redact_value",
    "set_default_redactor",
]

PLACEHOLDERS = ("[EMAIL]", "[PHONE]", "[AMOUNT]", "[URL]", "[DOMAIN]", "[NAME]", "[COMPANY]")

# The word after a name, taken as its surname when capitalised ("Priya Natarajan").
_SURNAME = r"(?P<next> [^\W\d_][\w'’-]*)?"
# Names shorter than this are initials or fragments, too ambiguous to redact on their own.
_MIN_NAME_LENGTH = 2


@lru_cache(maxsize=1)
def packaged_first_names() -> tuple[str, ...]:
    """Common first names shipped with the package (comment lines skipped)."""
    text = (files("sales_agent.policy") / "first_names.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def _name_parts(names: Iterable[str]) -> set[str]:
    """Each full name and each of its words: "Priya Natarajan" also hides "Natarajan"."""
    parts: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if len(name) < _MIN_NAME_LENGTH:
            continue
        parts.add(name)
        parts.update(word for word in name.split(" ") if len(word) >= _MIN_NAME_LENGTH)
    return parts


class Redactor:
    """Replaces personal and commercial details in text with placeholders."""

    def __init__(
        self,
        *,
        names: Iterable[str] = (),
        companies: Iterable[str] = (),
        crm: CrmNames | None = None,
    ) -> None:
        """Redact the fixed kinds of detail plus these person and company names.

        `crm` adds the CRM mirror's names as far as the process has loaded them: looked up
        per text in its word index, so a CRM of any size costs a pass over the text.
        """
        self._crm = crm
        self.names = frozenset(_name_parts(names))
        self.companies = frozenset(" ".join(c.split()) for c in companies if c.strip())
        # Names match case-sensitively (capitalised only), companies in any case.
        alternation = literal_alternation(self.names)
        self._names = re.compile(alternation.pattern + _SURNAME) if alternation else None
        self._companies = literal_alternation(self.companies, ignore_case=True)

    @classmethod
    def with_crm(
        cls, names: Iterable[str], companies: Iterable[str], *, crm: CrmNames | None = None
    ) -> Redactor:
        """The packaged first names plus the CRM's contact names and company names."""
        return cls(names=(*packaged_first_names(), *names), companies=companies, crm=crm)

    def redact(self, text: str) -> str:
        """`text` with every credential and detail replaced by its placeholder."""
        text = DETAILS.sub(_detail_placeholder, redact_secrets(text))
        hits = self._crm.found_in(text) if self._crm is not None else []
        # The CRM's names found in this text make small patterns of their own, applied
        # after the fixed ones (compiled once per set of names, see `literal_alternation`).
        crm_companies = literal_alternation(
            (h.name for h in hits if h.kind == "company"), ignore_case=True
        )
        crm_names = literal_alternation(_name_parts(h.name for h in hits if h.kind != "company"))
        for pattern in (self._companies, crm_companies):
            if pattern is not None:
                text = pattern.sub("[COMPANY]", text)
        for pattern in (self._names, crm_names and re.compile(crm_names.pattern + _SURNAME)):
            if pattern is not None:
                text = pattern.sub(_name_placeholder, text)
        return text

    def redact_value(self, value: Any) -> Any:
        """Redact strings inside `value`, recursively through dicts, lists and tuples."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {key: self.redact_value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.redact_value(item) for item in value]
        if isinstance(value, tuple):
            return tuple(self.redact_value(item) for item in value)
        return value


def _detail_placeholder(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind == "PHONE" and not is_phone(match.group()):
        return match.group()
    return f"[{kind}]"


def _name_placeholder(match: re.Match[str]) -> str:
    # A capitalised next word is the surname: hide it too, so no half-name is left behind.
    following = match.group("next")
    if following is None or following[1].isupper():
        return "[NAME]"
    return "[NAME]" + following


_default: Redactor | None = None


def default_redactor() -> Redactor:
    """The process's redactor: the packaged names until `set_default_redactor` adds the CRM's."""
    global _default
    if _default is None:
        _default = Redactor.with_crm((), ())
    return _default


def set_default_redactor(redactor: Redactor) -> None:
    """Make `redactor` the process default (call when the CRM's names are known)."""
    global _default
    _default = redactor


def redact_value(value: Any) -> Any:
    """`value` with PII redacted by the process's default redactor (strings, dicts, lists)."""
    return default_redactor().redact_value(value)


class PiiLogFilter(logging.Filter):
    """Redacts each record's message (arguments applied), exception and stack text."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        """Use `redactor`, or the process default at the time of each record."""
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops one."""
        redactor = self._redactor or default_redactor()
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A call whose arguments do not fit its format: keep both, redacted, rather than
            # raise into the caller or let logging's error report print the raw arguments.
            message = f"{record.msg} {record.args!r}"
        record.msg = redactor.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redactor.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redactor.redact(record.stack_info)
        return True


def install_log_redaction(redactor: Redactor | None = None) -> PiiLogFilter:
    """Put one `PiiLogFilter` on every handler of the root logger (idempotent).

    Call it after the handlers exist (after `logging.basicConfig` or the server's log
    setup). A handler filter sees records propagated from every logger, which a filter on
    the root logger itself would not. Without `redactor`, the process default is used at
    each record, so CRM names added later with `set_default_redactor` take effect.
    """
    log_filter = PiiLogFilter(redactor)
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, PiiLogFilter)]:
            handler.removeFilter(old)
        handler.addFilter(log_filter)
    return log_filter
