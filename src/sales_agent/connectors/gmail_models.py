"""Gmail listing and sync results: pages of threads and messages, history, labels, profile."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sales_agent.errors import ConnectorError

__all__ = [
    "GmailHistoryExpiredError",
    "GmailHistoryPage",
    "GmailHistoryRecord",
    "GmailLabel",
    "GmailMessagePage",
    "GmailMessageRef",
    "GmailProfile",
    "GmailThreadPage",
    "GmailThreadSummary",
    "GmailWatch",
    "HistoryType",
    "MessageFormat",
    "ThreadFormat",
]

ThreadFormat = Literal["full", "metadata", "minimal"]
"""full: headers and body; metadata: headers only; minimal: ids and labels only."""
MessageFormat = Literal["full", "metadata", "minimal", "raw"]
"""As `ThreadFormat`, plus raw: the RFC 822 bytes, parsed locally into the same fields."""
HistoryType = Literal["messageAdded", "messageDeleted", "labelAdded", "labelRemoved"]


class GmailHistoryExpiredError(ConnectorError):
    """The start history id is older than the history Gmail keeps: do a full sync instead."""

    code = "gmail_history_expired"

    def __init__(self, start_history_id: int) -> None:
        super().__init__(
            "gmail",
            f"history id {start_history_id} is too old to sync from; list the mailbox again "
            "(a full sync) and store the profile's current history id",
            status=404,
        )
        self.start_history_id = start_history_id


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class GmailThreadSummary(_Frozen):
    """A thread as a listing names it."""

    id: str
    snippet: str = Field(default="", description="The start of the newest message.")
    history_id: int


class GmailThreadPage(_Frozen):
    """One page of threads, most recently active first."""

    threads: list[GmailThreadSummary]
    next_page_token: str | None = Field(default=None, description="None on the last page.")
    result_size_estimate: int = 0


class GmailMessageRef(_Frozen):
    """A message as a listing or a history record names it."""

    id: str
    thread_id: str
    label_ids: list[str] = Field(default_factory=list, description="Empty in listings.")


class GmailMessagePage(_Frozen):
    """One page of messages, newest first."""

    messages: list[GmailMessageRef]
    next_page_token: str | None = None
    result_size_estimate: int = 0


class GmailHistoryRecord(_Frozen):
    """One change to the mailbox, in history id order."""

    id: int
    type: HistoryType
    message: GmailMessageRef
    label_ids: list[str] = Field(
        default_factory=list, description="The labels added or removed (label changes only)."
    )


class GmailHistoryPage(_Frozen):
    """One page of changes; `history_id` is the mailbox's current one, to store for next time."""

    records: list[GmailHistoryRecord]
    history_id: int
    next_page_token: str | None = None


class GmailWatch(_Frozen):
    """An active push subscription."""

    history_id: int = Field(description="The mailbox's history id when the watch started.")
    expiration: AwareDatetime = Field(description="Renew the watch before this moment.")


class GmailLabel(_Frozen):
    """A mailbox label."""

    id: str
    name: str
    type: Literal["system", "user"]


class GmailProfile(_Frozen):
    """The mailbox's address, size and current history id."""

    email_address: str
    messages_total: int
    threads_total: int
    history_id: int
