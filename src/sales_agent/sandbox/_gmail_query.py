"""Gmail's search language (`q`), the part the product uses: operators ANDed together.

Supported: `in:`, `label:`, `is:`, `from:`, `to:`, `cc:`, `subject:`, `rfc822msgid:`,
`after:`, `before:` (YYYY/MM/DD, read as midnight UTC, or epoch seconds), `newer_than:` /
`older_than:` (Nd, Nm, Ny), quoted phrases, bare words and `-` negation. Like Gmail, an
unknown `word:value` is searched as text. `OR`, braces and parentheses are not supported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sales_agent.sandbox._errors import InvalidRequestError
from sales_agent.sandbox._formats import html_to_plain

__all__ = ["MessageFields", "SearchQuery", "parse_query"]

_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<op>[a-z][a-z0-9_]*):)?(?:"(?P<quoted>[^"]*)"|(?P<word>[^\s"]+))',
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"^(\d+)([dmy])$", re.IGNORECASE)
_DAYS_PER_UNIT = {"d": 1, "m": 30, "y": 365}
# `in:` and `is:` values name labels; `in:anywhere` lifts the spam and trash exclusion.
_IN_LABELS = {"inbox": "INBOX", "sent": "SENT", "drafts": "DRAFT", "spam": "SPAM", "trash": "TRASH"}
_IS_LABELS = {"unread": "UNREAD", "starred": "STARRED", "important": "IMPORTANT"}
_HIDDEN_LABELS = frozenset({"SPAM", "TRASH"})


@dataclass(frozen=True)
class MessageFields:
    """What a search looks at in one message, lowercased once."""

    sender: str
    recipients: str
    subject: str
    text: str
    message_id: str = ""

    @classmethod
    def of(cls, parsed: EmailMessage) -> MessageFields:
        """Collect the searchable headers and the body (HTML read as text)."""
        body = parsed.get_body(preferencelist=("plain", "html"))
        content = body.get_content() if body is not None else ""
        if body is not None and body.get_content_subtype() == "html":
            content = html_to_plain(content)
        sender = str(parsed.get("From", ""))
        recipients = " ".join(str(parsed.get(name, "")) for name in ("To", "Cc", "Bcc"))
        subject = str(parsed.get("Subject", ""))
        text = " ".join((sender, recipients, subject, content))
        return cls(
            sender.lower(),
            recipients.lower(),
            subject.lower(),
            " ".join(text.lower().split()),
            str(parsed.get("Message-ID", "")).strip().strip("<>").lower(),
        )


@dataclass(frozen=True)
class _Message:
    fields: MessageFields
    labels: frozenset[str]
    date: datetime


_Test = Callable[[_Message], bool]


def _words(value: str) -> _Test:
    """Whole words (or a phrase) anywhere in the message, as Gmail's free text does."""
    phrase = " ".join(value.lower().split())
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
    return lambda m: bool(pattern.search(m.fields.text))


def _moment(value: str) -> datetime:
    if value.isdigit():
        return datetime.fromtimestamp(int(value), tz=UTC)
    for layout in ("%Y/%m/%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise InvalidRequestError(f"Invalid date in query: {value!r}; use YYYY/MM/DD or epoch seconds")


def _age(value: str, now: datetime) -> datetime:
    match = _RELATIVE.match(value)
    if match is None:
        raise InvalidRequestError(f"Invalid relative date in query: {value!r}; use 7d, 2m or 1y")
    return now - timedelta(days=int(match.group(1)) * _DAYS_PER_UNIT[match.group(2).lower()])


def _label(name: str) -> _Test:
    wanted = name.upper()
    return lambda m: any(label.upper() == wanted for label in m.labels)


def _term(op: str, value: str, now: datetime) -> tuple[_Test, bool]:
    """A term's test, and whether it names spam or trash (which lifts their exclusion)."""
    low = value.lower()
    if op == "in" and (low in _IN_LABELS or low == "anywhere"):
        test = (lambda _: True) if low == "anywhere" else _label(_IN_LABELS[low])
        return test, low in ("spam", "trash", "anywhere")
    if op == "is" and low in _IS_LABELS:
        return _label(_IS_LABELS[low]), False
    if op == "is" and low == "read":
        return (lambda m: "UNREAD" not in m.labels), False
    if op == "label":
        return _label(value), False
    if op == "rfc822msgid":
        wanted = low.strip("<>")
        return (lambda m: m.fields.message_id == wanted), False
    if op in ("from", "to", "cc", "subject"):
        attribute = {"from": "sender", "to": "recipients", "cc": "recipients"}.get(op, op)
        return (lambda m: low in getattr(m.fields, attribute)), False
    if op in ("after", "before", "newer_than", "older_than"):
        bound = _moment(value) if op in ("after", "before") else _age(value, now)
        if op in ("after", "newer_than"):
            return (lambda m: m.date >= bound), False
        return (lambda m: m.date < bound), False
    return _words(f"{op}:{value}" if op else value), False


@dataclass(frozen=True)
class SearchQuery:
    """A parsed `q`: every test must pass; spam and trash stay out unless asked for."""

    tests: tuple[tuple[_Test, bool], ...]  # (test, negated)
    include_hidden: bool

    def matches(
        self,
        fields: MessageFields,
        labels: Iterable[str],
        date: datetime,
        *,
        include_spam_trash: bool = False,
    ) -> bool:
        """True when the message passes every term."""
        message = _Message(fields, frozenset(labels), date)
        if message.labels & _HIDDEN_LABELS and not (self.include_hidden or include_spam_trash):
            return False
        return all(test(message) != negated for test, negated in self.tests)


def parse_query(q: str | None, now: datetime) -> SearchQuery:
    """Parse Gmail's `q`; a malformed date is a 400, as Gmail answers."""
    tests: list[tuple[_Test, bool]] = []
    include_hidden = False
    for token in _TOKEN.finditer(q or ""):
        value = token.group("quoted") if token.group("quoted") is not None else token.group("word")
        op = (token.group("op") or "").lower()
        test, hidden = _term(op, value, now) if value else ((lambda _: True), False)
        include_hidden = include_hidden or hidden
        tests.append((test, bool(token.group("neg"))))
    return SearchQuery(tuple(tests), include_hidden)
