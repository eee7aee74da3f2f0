"""Gmail API resources to `GmailMessage` / `GmailThread`: headers, MIME walking, HTML to text.

Also the new text of a reply (`strip_reply`): quoted history and signature removed with
mail-parser-reply, which knows the quote headers of the common mail clients.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import Message, MIMEPart
from email.utils import getaddresses
from html.parser import HTMLParser
from typing import Any

from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import (
    MAIL_LANGUAGES,
    NOLIST_SIGNATURE_REGEX,
)

from sales_agent.connectors.records import EmailAddress, GmailMessage, GmailThread

__all__ = [
    "body_text",
    "html_to_text",
    "parse_message",
    "parse_raw_message",
    "parse_thread",
    "strip_reply",
]

# A phone's or mail app's own line ("Von meinem iPhone gesendet"). The library knows the
# English ones; its other languages miss the forms phones write (and it has no Portuguese),
# so those are written here. They carry no intent, and a reader that keeps them learns that
# whoever writes from a phone is curt.
_DEVICE_LINE = (
    r"(?:sent from|sent via|envoy[eé] de|envoy[eé] depuis|von|gesendet von|enviado desde|"
    r"enviado do|enviado de|inviato da|inviato dal|verzonden (?:vanaf|met)|"
    r"verstuurd (?:vanaf|met|via)) (?:my |mon |ma |meinem |mi |meu |minha |mio |il mio |mijn )?"
    r"(?:[\w-]+ ){0,2}?(?:iphone|ipad|android|samsung|galaxy|celular|telemovel|telemóvel|"
    r"smartphone|movil|móvil|cellulare|telefoon|handy|mobile|mobiel|telefone|outlook|blackberry)"
    # The whole line, so that "Von meinem Handy aus: Dienstag passt" keeps its message.
    r"\b[^\n]{0,25}$"
)
# The library's own signature rules: the `-- ` delimiter line and "Sent from" lines.
_SIGNATURE = re.compile(
    rf"{NOLIST_SIGNATURE_REGEX}|^(?:{MAIL_LANGUAGES['en']['sent_from']}|"
    rf"{_DEVICE_LINE})\b.*",
    re.MULTILINE | re.IGNORECASE | re.DOTALL,
)
# A whole line that closes a letter (the library's English closings and a few more), then
# the name under it.
_SIGN_OFF = re.compile(
    r"^(?:(?:{})[,.!]?|cheers,|many thanks,|best wishes,|warm regards,)\n[^\n]+$".format(
        "|".join(re.escape(s).rstrip(",") for s in MAIL_LANGUAGES["en"]["signatures"])
    ),
    re.MULTILINE | re.IGNORECASE,
)
_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "sv", "pl"]

# Paragraph-level elements are set off by a blank line, line-level ones by a line break.
_PARAGRAPH_TAGS = frozenset(
    {"blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ol", "p", "pre", "table", "ul"}
)
_LINE_TAGS = frozenset({"address", "div", "hr", "li", "tr"})
# Cells of a row are set off by a space: a web form's "<td>Email</td><td>ann@x.example</td>"
# read "Emailann@x.example", an address that does not exist.
_CELL_TAGS = frozenset({"td", "th"})
_SKIPPED_TAGS = frozenset({"head", "script", "style", "title"})


class _TextExtractor(HTMLParser):
    """Collects visible text; line breaks are owed and paid only before the next text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._breaks = 0
        self._skipping = 0

    def _block(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self._breaks = max(self._breaks, 2)
        elif tag in _LINE_TAGS:
            self._breaks = max(self._breaks, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "br":
            self._breaks += 1
        else:
            self._block(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _CELL_TAGS and not self._breaks:
            self.chunks.append(" ")
        else:
            self._block(tag)

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if not data.strip():
            # Whitespace between inline elements separates words; before a break it is noise.
            if not self._breaks:
                self.chunks.append(" ")
            return
        if self.chunks:
            self.chunks.append("\n" * self._breaks)
        self._breaks = 0
        self.chunks.append(data)


def html_to_text(markup: str) -> str:
    """Convert HTML to readable plain text: no tags, entities decoded, paragraphs kept."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.chunks).splitlines())
    return "\n".join(lines).strip()


def _decode(data: str, headers: list[dict[str, str]]) -> str:
    # Gmail's base64url may arrive without padding; the charset is the part's own.
    try:
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        return ""
    content_type = Message()
    content_type["Content-Type"] = _header(headers, "Content-Type") or "text/plain"
    charset = content_type.get_content_charset() or "utf-8"
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name: UTF-8 is the likeliest truth
        return raw.decode("utf-8", errors="replace")


def _leaves(part: dict[str, Any]) -> list[dict[str, Any]]:
    """Non-multipart parts, depth first, skipping attachments."""
    children = part.get("parts")
    if children:
        return [leaf for child in children for leaf in _leaves(child)]
    return [] if part.get("filename") else [part]


def body_text(payload: dict[str, Any]) -> str:
    """Extract the body: the first text/plain part, else the first text/html one as text."""
    leaves = _leaves(payload)
    for mime_type in ("text/plain", "text/html"):
        for leaf in leaves:
            if leaf.get("mimeType") == mime_type and "data" in leaf.get("body", {}):
                text = _decode(leaf["body"]["data"], leaf.get("headers", []))
                return text.strip() if mime_type == "text/plain" else html_to_text(text)
    return ""


def _header(headers: list[dict[str, str]], name: str) -> str | None:
    wanted = name.lower()
    return next((h["value"] for h in headers if h.get("name", "").lower() == wanted), None)


def _addresses(value: str | None) -> list[EmailAddress]:
    pairs = getaddresses([value]) if value else []
    return [EmailAddress(name=name, email=email) for name, email in pairs if email]


def parse_message(resource: dict[str, Any]) -> GmailMessage:
    """Build a `GmailMessage` from a Message resource fetched with format=full."""
    payload = resource.get("payload", {})
    headers = payload.get("headers", [])
    senders = _addresses(_header(headers, "From"))
    in_reply_to = _header(headers, "In-Reply-To")
    return GmailMessage(
        id=resource["id"],
        thread_id=resource["threadId"],
        message_id=(_header(headers, "Message-ID") or "").strip(),
        in_reply_to=in_reply_to.strip() if in_reply_to else None,
        references=(_header(headers, "References") or "").split(),
        sender=senders[0] if senders else EmailAddress(email=""),
        to=_addresses(_header(headers, "To")),
        cc=_addresses(_header(headers, "Cc")),
        subject=_header(headers, "Subject") or "",
        date=datetime.fromtimestamp(int(resource["internalDate"]) / 1000, tz=UTC),
        body_text=body_text(payload),
        label_ids=resource.get("labelIds", []),
    )


def parse_thread(resource: dict[str, Any]) -> GmailThread:
    """Build a `GmailThread` from a Thread resource fetched with format=full."""
    messages = [parse_message(m) for m in resource.get("messages", [])]
    return GmailThread(id=resource["id"], messages=sorted(messages, key=lambda m: m.date))


def _payload(part: MIMEPart) -> dict[str, Any]:
    """A parsed MIME part in the shape of Gmail's MessagePart, so one walker reads both."""
    rendered: dict[str, Any] = {
        "mimeType": part.get_content_type(),
        "filename": part.get_filename() or "",
        "headers": [{"name": name, "value": str(value)} for name, value in part.items()],
    }
    if part.is_multipart():
        rendered["parts"] = [_payload(child) for child in part.iter_parts()]
    else:
        data = part.get_payload(decode=True)
        raw = data if isinstance(data, bytes) else b""
        rendered["body"] = {"data": base64.urlsafe_b64encode(raw).decode("ascii")}
    return rendered


def parse_raw_message(resource: dict[str, Any]) -> GmailMessage:
    """Build a `GmailMessage` from a Message resource fetched with format=raw."""
    data = resource.get("raw", "")
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    mime = message_from_bytes(raw, policy=policy.default)
    return parse_message({**resource, "payload": _payload(mime)})


def strip_reply(text: str) -> str:
    """The new text of an email: the quoted history and the signature block removed.

    mail-parser-reply finds where the quoted history starts (Gmail's "On ... wrote:",
    Outlook's From/Sent block, "Original Message" lines) and the `-- ` or "Sent from my"
    signature. A signature without a delimiter ends at the sign-off: the sign-off line and
    the name under it stay, since they are part of what the person wrote (and of their
    voice). The library's own sign-off rule is not used: it cuts at any line starting
    "Thanks," and so loses whole replies.
    """
    replies = EmailReplyParser(languages=_LANGUAGES).read(text).replies
    if not replies or replies[0].headers:  # empty, or nothing above the first quote header
        return ""
    content = str(replies[0].content)
    signature = _SIGNATURE.search(content)
    if signature is not None:
        content = content[: signature.start()]
    sign_offs = list(_SIGN_OFF.finditer(content))
    if sign_offs:
        content = content[: sign_offs[-1].end()]
    lines = [line for line in content.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()
