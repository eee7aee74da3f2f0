"""One Gmail thread into memory, now: what `sales-agent gmail sync-thread` does.

The same documents and upsert as the mailbox sync (`gmail_index.index_messages`), for the
messages of one thread only; messages already in the index are not embedded again, and the
sync cursor is not moved (the next `index gmail` still reads every change since its own).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.errors import ConnectorError, SalesAgentError
from sales_agent.memory.deps import MemoryServices
from sales_agent.memory.gmail_index import index_messages, indexed_ids
from sales_agent.memory.messages import indexable, open_message_store

__all__ = ["ThreadIndexStats", "ThreadNotFoundError", "index_thread"]


class ThreadNotFoundError(SalesAgentError):
    """The mailbox has no thread with that id."""

    code = "thread_not_found"

    def __init__(self, thread_id: str) -> None:
        super().__init__(
            f"the mailbox has no Gmail thread {thread_id!r}: use the thread id from Gmail's "
            "URL or from `sales-agent search memory`"
        )


class ThreadIndexStats(BaseModel):
    """How many messages the thread has and where each stands in the memory index."""

    model_config = ConfigDict(frozen=True)

    thread_id: str
    messages: int = Field(description="Messages in the thread, drafts included.")
    indexed: int = Field(description="Embedded and stored by this call.")
    already_indexed: int = Field(description="In the index before this call (not re-embedded).")
    not_indexable: int = Field(description="Drafts, spam, trash: never indexed.")
    embeddings: str = Field(description="The provider that embedded them, e.g. `hash (...)`.")

    @property
    def embedded(self) -> int:
        """Messages of the thread now in the index."""
        return self.indexed + self.already_indexed


def index_thread(services: MemoryServices, thread_id: str) -> ThreadIndexStats:
    """Fetch the thread and embed its indexable messages that the index does not hold yet."""
    try:
        thread = services.connectors.gmail.get_thread(thread_id)
    except ConnectorError as exc:
        if exc.status in (400, 404):  # Gmail answers 400 for an id that cannot exist
            raise ThreadNotFoundError(thread_id) from None
        raise
    open_message_store(services)  # creates the index on first use; checks its provider
    eligible = [message for message in thread.messages if indexable(message)]
    before = indexed_ids(services.pool, [message.id for message in eligible])
    fresh = [message for message in eligible if message.id not in before]
    return ThreadIndexStats(
        thread_id=thread_id,
        messages=len(thread.messages),
        indexed=index_messages(services, fresh),
        already_indexed=len(eligible) - len(fresh),
        not_indexable=len(thread.messages) - len(eligible),
        embeddings=services.embedding_spec.describe(),
    )
