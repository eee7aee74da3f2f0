"""The composition root: what a process needs to run graphs (database pool, connectors, voice).

`open_services` starts whatever is missing (the embedded Postgres, the in-process sandbox),
migrates the database and yields a `Services`; leaving the block releases all of it. Graphs
get their services handed in as a `ServicesProvider` when they are built (the CLI, the
server and the workers pass the ones they opened); LangGraph Studio, which imports the
graphs with no such block, gets `lazily_opened_services`, which opens one set on first use.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from psycopg import Connection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool

from sales_agent.chat_models import chat_model_for
from sales_agent.config import Settings, get_settings
from sales_agent.connectors import Connectors, build_connectors
from sales_agent.connectors.account_tokens import AccountTokens
from sales_agent.db import migrate
from sales_agent.db.urls import active_database_url
from sales_agent.domain.voice import VoiceProfile
from sales_agent.memory import crm_sync
from sales_agent.memory.embeddings import EmbeddingSpec, embedding_spec, embeddings_for
from sales_agent.memory.voice.store import load_current_profile
from sales_agent.policy.crm_names import CrmNames
from sales_agent.policy.pii import Redactor, set_default_redactor

__all__ = [
    "Services",
    "ServicesProvider",
    "current_crm_names",
    "lazily_opened_services",
    "migrated_database_url",
    "open_pool",
    "open_services",
    "provided",
]


@dataclass(frozen=True)
class Services:
    """Long-lived resources shared by every run in a process."""

    settings: Settings
    database_url: str
    pool: ConnectionPool[Connection[DictRow]]
    connectors: Connectors
    voice: VoiceProfile
    sandbox_url: str | None
    crm_names: CrmNames
    """The CRM mirror's names and addresses (a word index, filled from Postgres on first use
    and kept at the mirror's version): names that must not leak into a draft, addresses a
    draft may go to, names the log redaction hides. The CRM itself is never read at start."""
    embeddings: Embeddings
    """The configured provider (the local model loads on first use, not here)."""
    embedding_spec: EmbeddingSpec
    chat_model: BaseChatModel | None
    """The writer's model (SALES_AGENT_MODEL); None means the offline writer."""


def open_pool(url: str, *, max_size: int = 10) -> ConnectionPool[Connection[DictRow]]:
    """A pool configured as LangGraph's Postgres savers require (and our repositories use)."""
    return ConnectionPool(
        url,
        min_size=1,
        max_size=max_size,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        connection_class=Connection[DictRow],
        open=True,
    )


def migrated_database_url(settings: Settings) -> str:
    """The active database's URL, brought to the current schema first (as `db upgrade` does)."""
    database_url = active_database_url(settings)
    migrate.upgrade(database_url)
    return database_url


@contextmanager
def open_services(settings: Settings | None = None) -> Iterator[Services]:
    """Start what is missing, migrate, and yield the services; release all on exit."""
    settings = settings or get_settings()
    with ExitStack() as stack:
        database_url = migrated_database_url(settings)
        pool = stack.enter_context(open_pool(database_url))
        sandbox_url = settings.sandbox_url
        if settings.needs_sandbox:
            # Imported here: a process that talks to the real APIs or a running sandbox
            # never loads the sandbox's server and workspace.
            from sales_agent.sandbox import SandboxServer

            sandbox_url = stack.enter_context(SandboxServer()).url
        # Connected accounts' tokens (encrypted in Postgres) come before the environment's.
        connectors = build_connectors(settings, sandbox_url, tokens=AccountTokens(settings, pool))
        crm_names = CrmNames()
        with pool.connection() as conn:
            mirror_ready = crm_sync.walked(conn)
        if not mirror_ready:
            # A new database: walk the CRM once (`crm sync` does it ahead for a big one).
            crm_sync.sync(pool, connectors.hubspot)
        set_default_redactor(Redactor.with_crm((), (), crm=crm_names))
        with pool.connection() as conn:
            # The newest learned voice, or the packaged default until `voice learn` has run.
            voice = load_current_profile(conn, settings.operator_email)
        services = Services(
            settings=settings,
            database_url=database_url,
            pool=pool,
            connectors=connectors,
            voice=voice,
            sandbox_url=sandbox_url,
            crm_names=crm_names,
            embeddings=embeddings_for(settings),
            embedding_spec=embedding_spec(settings),
            chat_model=chat_model_for(settings),
        )
        yield services


def current_crm_names(services: Services) -> CrmNames:
    """The process's CRM names, first brought up to the mirror's version."""
    with services.pool.connection() as conn:
        services.crm_names.refresh(conn)
    return services.crm_names


ServicesProvider = Callable[[], Services]
"""How a node reaches its services: called when the node runs, so opening may be lazy."""


def provided(services: Services) -> ServicesProvider:
    """A provider of services that are already open."""
    return lambda: services


_lazy: Services | None = None
_lazy_lock = threading.Lock()


def lazily_opened_services() -> Services:
    """Services opened on first call and kept for the process (Studio, `langgraph dev`).

    Only for graphs imported by a platform that hands the builder nothing; every command,
    the server and the workers open their own services and pass them in.
    """
    global _lazy
    with _lazy_lock:
        if _lazy is None:
            stack = ExitStack()
            _lazy = stack.enter_context(open_services())
            atexit.register(stack.close)
        return _lazy
