"""A Gmail message as memory stores it: the text to embed, the row's metadata columns, the table.

The embedded text is the subject and what the writer added: quoted history and signatures
are stripped (`strip_reply`), so a long thread is not embedded once per reply it quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sales_agent.connectors.gmail_parsing import strip_reply
from sales_agent.connectors.records import EmailAddress, GmailMessage
from sales_agent.domain.memory_hit import PREVIEW_CHARS, Direction
from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.vector_index import MEMORY_MESSAGES, open_vector_store

if TYPE_CHECKING:
    from langchain_postgres import PGVectorStore

__all__ = [
    "EXCLUDED_LABELS",
    "PREVIEW_CHARS",
    "Direction",
    "MessageDocument",
    "contact_of",
    "domain_of",
    "indexable",
    "message_document",
    "open_message_store",
    "preview",
]


# Not the operator's correspondence: unsent drafts, junk, deleted mail, chat transcripts.
EXCLUDED_LABELS = frozenset({"DRAFT", "SPAM", "TRASH", "CHAT"})


@dataclass(frozen=True)
class MessageDocument:
    """One row of `memory_messages`: id, embedded text, metadata columns."""

    message_id: str
    text: str
    metadata: dict[str, Any]


def indexable(message: GmailMessage) -> bool:
    """True for mail the operator received or sent (not drafts, spam, trash or chats)."""
    return not EXCLUDED_LABELS & set(message.label_ids)


def domain_of(email: str) -> str | None:
    """The lowercase domain of an address, or None when it has none."""
    domain = email.rpartition("@")[2].strip().lower()
    return domain if "@" in email and domain else None


def contact_of(message: GmailMessage, direction: Direction, operator_email: str) -> str | None:
    """The external party: the sender of inbound mail, the first outside recipient of sent.

    A colleague on the operator's own domain is a recipient of last resort: a message cc'ing
    a colleague is about the client in `To`, whichever order the headers list them in.
    """
    operator = operator_email.lower()
    if direction == "inbound":
        return message.sender.email.lower() or None
    recipients = [
        a.email.lower() for a in [*message.to, *message.cc] if a.email.lower() != operator
    ]
    own = domain_of(operator)
    outside = [email for email in recipients if domain_of(email) != own]
    return next(iter(outside or recipients), None)


def preview(text: str) -> str:
    """The first `PREVIEW_CHARS` characters of `text`, whitespace collapsed."""
    return " ".join(text.split())[:PREVIEW_CHARS]


def _direction(message: GmailMessage, operator_email: str) -> Direction:
    # The SENT label is authoritative; the sender check covers mail sent from another client
    # and imported without it.
    if "SENT" in message.label_ids or message.sender.email.lower() == operator_email.lower():
        return "sent"
    return "inbound"


def message_document(message: GmailMessage, *, operator_email: str) -> MessageDocument:
    """The row to store for `message`, seen from `operator_email`'s mailbox."""
    body = strip_reply(message.body_text)
    direction = _direction(message, operator_email)
    contact = contact_of(message, direction, operator_email)
    return MessageDocument(
        message_id=message.id,
        text=f"{message.subject}\n\n{body}".strip(),
        metadata={
            "thread_id": message.thread_id,
            "sender": _sender(message.sender),
            "sent_at": message.date,
            "direction": direction,
            "contact_email": contact,
            "company_domain": domain_of(contact) if contact else None,
            # An empty body (only a quote, or a forward) still shows something useful.
            "preview": preview(body or message.subject),
        },
    )


def _sender(sender: EmailAddress) -> str:
    return sender.formatted() if sender.email else ""


def open_message_store(services: MemoryServices) -> PGVectorStore:
    """`memory_messages` as a vector store, for the configured embeddings.

    Raises `IndexMismatchError` (which says how to fix it) when the index was built by
    another embeddings provider, before any query could fail on the dimension.
    """
    return open_vector_store(
        services.pool,
        services.database_url,
        MEMORY_MESSAGES,
        services.embeddings,
        services.embedding_spec,
    )
