"""What memory needs from the process: the narrow view of its services, as a protocol.

Memory sits below the composition root (`sales_agent.services` builds the services and
imports memory to do so), so it names the attributes it reads instead of importing the
`Services` class; any object that has them, the real services or a test's, will do.
"""

from __future__ import annotations

from typing import Protocol

from langchain_core.embeddings import Embeddings

from sales_agent.config import Settings
from sales_agent.connectors import Connectors
from sales_agent.memory.embeddings import EmbeddingSpec
from sales_agent.memory.vector_index import Pool
from sales_agent.policy.crm_names import CrmNames

__all__ = ["MemoryServices"]


class MemoryServices(Protocol):
    """The database, the connectors and the embeddings that memory reads and writes with."""

    @property
    def settings(self) -> Settings:
        """The process settings."""
        ...

    @property
    def database_url(self) -> str:
        """The migrated database the pool is on (vector stores open their own engine)."""
        ...

    @property
    def pool(self) -> Pool:
        """The connection pool."""
        ...

    @property
    def connectors(self) -> Connectors:
        """Gmail, Calendar, Drive and HubSpot clients."""
        ...

    @property
    def sandbox_url(self) -> str | None:
        """The in-process sandbox, when the process runs on one."""
        ...

    @property
    def embeddings(self) -> Embeddings:
        """The configured embedding provider."""
        ...

    @property
    def embedding_spec(self) -> EmbeddingSpec:
        """Provider, model and dimension of those embeddings."""
        ...

    @property
    def crm_names(self) -> CrmNames:
        """The CRM mirror's names as this process holds them (the redactor reads them)."""
        ...
