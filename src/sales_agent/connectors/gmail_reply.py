"""Threaded replies: who to answer, the headers Gmail needs to thread, the MIME to upload."""

from __future__ import annotations

import base64
import hashlib
import re
from email.message import EmailMessage

from sales_agent.connectors.records import EmailAddress, GmailThread, ReplyDraft

__all__ = [
    "IDEMPOTENCY_HEADER",
    "build_reply",
    "carries_key",
    "encode_reply",
    "is_keyed_message_id",
    "key_message_id",
    "key_token",
    "reply_subject",
]

IDEMPOTENCY_HEADER = "X-Sales-Agent-Key"
_FOLD = re.compile(r"\r?\n(?=[ \t])")


def key_token(idempotency_key: str) -> str:
    """The short, fixed-length form of a ledger key that a message carries in its header.

    A header line longer than 78 characters is folded in transit, and a folded value comes
    back changed; the token keeps the line at 54 characters, so it never folds.
    """
    return "sa-" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]


def key_message_id(idempotency_key: str) -> str:
    """The Message-ID a keyed draft carries: what Gmail's `rfc822msgid:` search finds it by."""
    return f"<{key_token(idempotency_key)}@sales-agent.invalid>"


def is_keyed_message_id(message_id: str) -> bool:
    """Whether a Message-ID is one of ours (`key_message_id`): a message the agent drafted."""
    return message_id.strip().endswith("@sales-agent.invalid>")


def carries_key(header_value: str, idempotency_key: str) -> bool:
    """Whether a key header's value (as received, maybe folded) stands for `idempotency_key`.

    Compared as RFC 5322 unfolds it (CRLF before whitespace removed, the ends trimmed);
    the full key is accepted too, as drafts made before the token carried it.
    """
    value = _FOLD.sub("", header_value).strip()
    return value in (key_token(idempotency_key), idempotency_key)


_RE_PREFIX = re.compile(r"^\s*re\s*:", re.IGNORECASE)


def reply_subject(subject: str) -> str:
    """Prefix `Re: ` once; Gmail threads a reply only when the subjects match."""
    return subject if _RE_PREFIX.match(subject) else f"Re: {subject}".rstrip()


def build_reply(thread: GmailThread, *, operator_email: str, body_text: str) -> ReplyDraft:
    """Answer the thread's last sent message, addressed to the last person who is not us.

    Drafts in the thread are ignored. Cc keeps whoever that person copied, minus us.
    """
    sent = [m for m in thread.messages if not m.is_draft]
    if not sent:
        raise ValueError(f"thread {thread.id} has no sent message to reply to")
    last = sent[-1]
    me = operator_email.lower()
    theirs = [m for m in sent if m.sender.email.lower() != me]
    if theirs:
        recipients = [theirs[-1].sender]
        copied = theirs[-1].cc
    else:  # only our own messages so far: follow up with the people we wrote to
        recipients = [a for a in last.to if a.email.lower() != me]
        copied = last.cc
    if not recipients:
        raise ValueError(f"thread {thread.id} has nobody to reply to but {operator_email}")
    taken = {me, *(a.email.lower() for a in recipients)}
    # RFC 5322: a parent without References is referenced through its In-Reply-To.
    parents = last.references or ([last.in_reply_to] if last.in_reply_to else [])
    references = [ref for ref in parents if ref != last.message_id] + [last.message_id]
    return ReplyDraft(
        thread_id=thread.id,
        to=recipients,
        cc=[a for a in copied if a.email.lower() not in taken],
        subject=reply_subject(last.subject),
        body_text=body_text,
        in_reply_to=last.message_id,
        references=references,
    )


def encode_reply(reply: ReplyDraft, *, sender: EmailAddress) -> str:
    """Render the draft as RFC 822 and encode it base64url, as Gmail's `raw` field wants."""
    mime = EmailMessage()
    mime["From"] = sender.formatted()
    mime["To"] = ", ".join(a.formatted() for a in reply.to)
    if reply.cc:
        mime["Cc"] = ", ".join(a.formatted() for a in reply.cc)
    mime["Subject"] = reply.subject
    if reply.in_reply_to:
        mime["In-Reply-To"] = reply.in_reply_to
    if reply.references:
        mime["References"] = " ".join(reply.references)
    if reply.idempotency_key:
        mime[IDEMPOTENCY_HEADER] = key_token(reply.idempotency_key)
        mime["Message-ID"] = key_message_id(reply.idempotency_key)
    if reply.list_unsubscribe:
        mime["List-Unsubscribe"] = f"<{reply.list_unsubscribe}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mime.set_content(reply.body_text)
    # Lines up to RFC 5322's hard limit: the default (78) would turn the unsubscribe URL,
    # which has no space to fold at, into encoded words that mail clients cannot follow.
    raw = mime.as_bytes(policy=mime.policy.clone(max_line_length=998))
    return base64.urlsafe_b64encode(raw).decode("ascii")
