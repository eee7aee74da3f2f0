"""`sales-agent serve` on a free port, sharing the test process's database and sandbox.

Importable from any test folder (the root conftest puts tests/ on the path). The server gets
the module's database and the test's in-process sandbox, so a test can seed a draft with
the graph in-process and read Gmail back through its own connectors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sales_agent.bench.processes import free_port, process_env, sales_agent_processes, wait_until_up
from sales_agent.policy.api_keys import create_api_key
from sales_agent.services import Services

__all__ = ["free_port", "live_server", "operator_key", "server_env"]

# The services' database, sandbox and embeddings, for a child process.
server_env = process_env


def operator_key(services: Services) -> str:
    """A new operator API key on the services' database (the server checks it there)."""
    with services.pool.connection() as conn:
        return create_api_key(conn, role="operator", name="tests", actor="tests").key


@contextmanager
def live_server(
    services: Services, workdir: Path, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run the server until the block ends; yield its base URL (its log: `serve-0.log`).

    `env` adds settings (SALES_AGENT_*) to the server's environment.
    """
    port = free_port()
    serve = [["serve", "--port", str(port)]]
    # Tests run their graphs at a pinned `now` (days before any real date CI runs on), but the
    # server's worker expires approvals by the wall clock every five minutes: with the default
    # window a waiting test draft is already stale, and a tick falling inside a test resumed it
    # as expired. A century-long window keeps the pinned clock and the wall clock from meeting.
    env = {"SALES_AGENT_APPROVAL_TTL_HOURS": str(24 * 365 * 100), **(env or {})}
    with sales_agent_processes(services, workdir, serve, env) as [(process, log)]:
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{url}/ready", process, log)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield url
