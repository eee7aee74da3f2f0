"""Retrieval with the packaged all-MiniLM-L6-v2: meaning, not shared words, finds the message.

Slow (the model loads in about 5 to 10 seconds), so marked; it runs in `make test`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sales_agent.config import EmbeddingsProvider, Settings
from sales_agent.connectors.records import EmailAddress, GmailMessage
from sales_agent.memory.gmail_index import index_messages
from sales_agent.memory.long_memory import LongMemory
from sales_agent.services import Services

pytestmark = pytest.mark.slow

OPERATOR = EmailAddress(email="dana@chaingepartners.example", name="Dana Reyes")
BODIES = {
    "m-price": ("Quote", "Hi Dana,\n\nWhat would a six-week engagement cost us? We need a number."),
    "m-ooo": ("Away", "I am on holiday until the 14th with limited access to email."),
    "m-stop": ("Stop", "Please remove me from your mailing list, I am not interested."),
    "m-meet": ("Chat", "Could we find half an hour on Thursday to talk it through?"),
}


@pytest.fixture(scope="module")
def settings(settings: Settings) -> Settings:
    """The shared test settings, with the packaged model instead of hash vectors."""
    return settings.model_copy(update={"embeddings": EmbeddingsProvider.LOCAL})


def _message(message_id: str, subject: str, body: str) -> GmailMessage:
    return GmailMessage(
        id=message_id,
        thread_id=f"t-{message_id}",
        message_id=f"<{message_id}@example>",
        sender=EmailAddress(email=f"{message_id}@client.example"),
        to=[OPERATOR],
        subject=subject,
        date=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        body_text=body,
        label_ids=["INBOX"],
    )


def test_local_embeddings_find_the_message_that_means_the_query(services: Services) -> None:
    messages = [_message(key, *value) for key, value in BODIES.items()]
    assert index_messages(services, messages) == len(BODIES)
    memory = LongMemory(services)

    expectations = {
        "pricing and budget for the project": "m-price",
        "who is away on vacation": "m-ooo",
        "unsubscribe request": "m-stop",
        "scheduling a call": "m-meet",
    }
    for query, expected in expectations.items():
        hits = memory.retrieve_context(query, 2)
        assert hits[0].message_id == expected, query
        assert hits[0].relevance > hits[1].relevance and 0 <= hits[1].relevance <= 1
