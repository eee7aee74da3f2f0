"""Building blocks of the Gmail seed: addresses, Message-IDs, bodies, threads in time order.

A `ThreadBuilder` appends messages to one thread, each a little later than the last, and
fills in what a mail client would: `Re:` subjects, In-Reply-To and References.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from typing import Any, Literal

from scripts.workspace.cast import Contact

__all__ = ["Body", "Person", "ThreadBuilder", "person", "to_html"]

Body = Literal["text", "html", "multipart"]


@dataclass(frozen=True)
class Person:
    """Someone who sends or receives mail in the seed."""

    name: str
    email: str

    @property
    def first_name(self) -> str:
        """The first word of the name."""
        return self.name.split()[0]

    @property
    def header(self) -> str:
        """`Name <email>`, unencoded: the seed loader encodes non-ASCII names."""
        return f"{self.name} <{self.email}>"


def person(contact: Contact) -> Person:
    """A cast contact as a mail correspondent."""
    return Person(contact.name, contact.email)


def to_html(text: str) -> str:
    """Plain paragraphs as the simple HTML a webmail client writes."""
    blocks = []
    for paragraph in text.split("\n\n"):
        lines = "<br>".join(html.escape(line) for line in paragraph.splitlines())
        blocks.append(f"<div>{lines}</div>")
    return '<div dir="ltr">' + "<div><br></div>".join(blocks) + "</div>"


def _reply_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


@dataclass
class ThreadBuilder:
    """One thread's messages, oldest first; `days_ago` counts down as messages are added.

    `days_ago` stays at 1 or more: a message dated today could lie after the server's start.
    """

    thread_id: str
    subject: str
    days_ago: int
    rng: random.Random
    minutes: int = 9 * 60
    messages: list[dict[str, Any]] = field(default_factory=list)

    def _advance(self, gap_days: int) -> None:
        """Move past the previous message; never onto the server's own day, which may be young."""
        later = self.rng.randrange(25, 240)
        if gap_days == 0 and self.minutes + later <= 20 * 60:
            self.minutes += later
            return
        target = max(1, self.days_ago - max(gap_days, 1))
        if target < self.days_ago:
            self.days_ago = target
            self.minutes = self.rng.randrange(7 * 60 + 40, 17 * 60)
        else:  # no day left before yesterday: later on the same day
            self.minutes = min(self.minutes + later, 23 * 60 + 50)

    def _message_id(self, sender: Person) -> str:
        domain = sender.email.rpartition("@")[2]
        token = f"{self.rng.getrandbits(64):016x}"
        return f"<{token[:8]}.{token[8:]}@mail.{domain}>"

    def add(
        self,
        sender: Person,
        to: list[Person],
        text: str,
        *,
        labels: list[str],
        body: Body = "text",
        gap_days: int = 0,
        cc: list[Person] | None = None,
        quote: Literal["gmail", "outlook"] | None = None,
        subject: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Append a message `gap_days` after the previous one (later the same day if 0)."""
        if self.messages:
            self._advance(gap_days)
        else:
            self.minutes = self.rng.randrange(7 * 60 + 40, 17 * 60 + 30)
        parent = self.messages[-1] if self.messages else None
        message: dict[str, Any] = {
            "id": f"msg-{self.thread_id.removeprefix('thr-')}-{len(self.messages) + 1:02d}",
            "days_ago": self.days_ago,
            "local_time": f"{self.minutes // 60:02d}:{self.minutes % 60:02d}",
            "label_ids": labels,
            "message_id": self._message_id(sender),
            "from": sender.header,
            "to": [p.header for p in to],
        }
        if cc:
            message["cc"] = [p.header for p in cc]
        message["subject"] = subject or (_reply_subject(self.subject) if parent else self.subject)
        if parent is not None:
            message["in_reply_to"] = parent["message_id"]
            message["references"] = [*parent.get("references", []), parent["message_id"]]
        if body in ("text", "multipart"):
            message["text"] = text
        if body in ("html", "multipart"):
            message["html"] = to_html(text)
        if quote is not None and parent is not None:
            message["quote_previous"] = True
            if quote == "outlook":
                message["quote_style"] = "outlook"
        message.update(extra)
        self.messages.append(message)
        return message

    def thread(self) -> dict[str, Any]:
        """The thread as the seed file holds it."""
        return {"id": self.thread_id, "messages": self.messages}
