"""What the agent remembers per operator: facts about each contact, and the operator's feedback.

Both live in LangGraph's `PostgresStore` under the operator's own namespace,
`("operators", <operator>, "contacts", <contact>)` and `("operators", <operator>, "feedback")`;
every read goes through the operator's prefix, so one operator never sees another's memories.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import quote, unquote

from langgraph.store.base import BaseStore
from pydantic import AwareDatetime, BaseModel, ConfigDict

__all__ = ["ContactFact", "OperatorFeedback", "OperatorMemory", "contact_label", "operator_prefix"]

_ROOT = "operators"
_LIMIT = 1000  # a contact's facts or an operator's feedback: far below this in practice


class ContactFact(BaseModel):
    """Something learned about a contact (a preference, a constraint, a date to remember)."""

    model_config = ConfigDict(frozen=True)

    contact_email: str
    fact: str
    source: str = ""
    """Where it came from, e.g. `gmail:<thread id>` or `operator`."""
    recorded_at: AwareDatetime


class OperatorFeedback(BaseModel):
    """A note from the operator on the agent's work (an edit's lesson, a rejection reason)."""

    model_config = ConfigDict(frozen=True)

    text: str
    kind: str = "note"
    """A short category such as `edit`, `reject` or `note`."""
    recorded_at: AwareDatetime


def contact_label(email: str) -> str:
    """The store namespace label of a contact (what `privacy` finds a contact's memories by)."""
    # Store namespace labels may not contain periods, which every address has; percent-encoding
    # keeps the label readable and reversible.
    return quote(email.strip().lower(), safe="@").replace(".", "%2E")


def operator_prefix(operator_email: str) -> tuple[str, str]:
    """The store namespace every memory of the operator lives under."""
    return (_ROOT, contact_label(operator_email))


def _key(*parts: str) -> str:
    # The same fact (or feedback) remembered twice is one item, not two.
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


class OperatorMemory:
    """One operator's facts and feedback in the LangGraph store."""

    def __init__(self, store: BaseStore, operator_email: str) -> None:
        """Memories of `operator_email` in `store`.

        Postgres in production (set up by the migrations); under Studio, whatever store
        LangGraph hands the run.
        """
        self.operator_email = operator_email.strip().lower()
        self._store = store
        self._prefix = operator_prefix(self.operator_email)

    def _contact_namespace(self, contact_email: str) -> tuple[str, ...]:
        return (*self._prefix, "contacts", contact_label(contact_email))

    def remember_fact(self, contact_email: str, fact: str, *, source: str = "") -> ContactFact:
        """Store a fact about a contact (idempotent: the same text is kept once)."""
        item = ContactFact(
            contact_email=contact_email.strip().lower(),
            fact=fact.strip(),
            source=source,
            recorded_at=datetime.now(UTC),
        )
        self._store.put(
            self._contact_namespace(item.contact_email),
            _key(item.fact),
            item.model_dump(mode="json"),
            index=False,  # no vector index on the store: facts are read per contact, whole
        )
        return item

    def facts_for(self, contact_email: str) -> list[ContactFact]:
        """The operator's facts about a contact, oldest first."""
        items = self._store.search(self._contact_namespace(contact_email), limit=_LIMIT)
        facts = [ContactFact.model_validate(item.value) for item in items]
        return sorted(facts, key=lambda fact: fact.recorded_at)

    def contacts(self) -> list[str]:
        """The contacts this operator has facts about."""
        namespaces = self._store.list_namespaces(
            prefix=(*self._prefix, "contacts"), max_depth=4, limit=_LIMIT
        )
        return sorted(unquote(namespace[3]) for namespace in namespaces if len(namespace) == 4)

    def record_feedback(self, text: str, *, kind: str = "note") -> OperatorFeedback:
        """Store a piece of the operator's feedback (idempotent per kind and text)."""
        item = OperatorFeedback(text=text.strip(), kind=kind, recorded_at=datetime.now(UTC))
        self._store.put(
            (*self._prefix, "feedback"),
            _key(item.kind, item.text),
            item.model_dump(mode="json"),
            index=False,
        )
        return item

    def feedback(self) -> list[OperatorFeedback]:
        """The operator's feedback, oldest first."""
        items = self._store.search((*self._prefix, "feedback"), limit=_LIMIT)
        notes = [OperatorFeedback.model_validate(item.value) for item in items]
        return sorted(notes, key=lambda note: note.recorded_at)
