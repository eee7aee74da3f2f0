"""Writing on the seeded lead's Gmail thread as the lead or the operator would, in the sandbox."""

from __future__ import annotations

import base64
from email.message import EmailMessage

import httpx

from sales_agent.sandbox import SEED_LEAD_THREAD_ID
from sales_agent.services import Services


def inbound(services: Services, sender: str, text: str) -> None:
    """A message on the lead's thread (users.messages.insert), from `sender`."""
    thread = services.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    last = [m for m in thread.messages if not m.is_draft][-1]
    message = EmailMessage()
    message["From"], message["To"] = sender, services.settings.operator_email
    message["Subject"] = f"Re: {thread.messages[0].subject}"
    message["Message-ID"] = f"<seq.{len(thread.messages)}@mail.example>"
    message["In-Reply-To"], message["References"] = last.message_id, last.message_id
    message.set_content(text)
    operator = sender == services.settings.operator_email
    response = httpx.post(
        f"{services.sandbox_url}/gmail/v1/users/me/messages",
        json={
            "raw": base64.urlsafe_b64encode(message.as_bytes()).decode(),
            "threadId": SEED_LEAD_THREAD_ID,
            "labelIds": ["SENT"] if operator else ["INBOX", "UNREAD"],
        },
        timeout=10,
    )
    response.raise_for_status()
