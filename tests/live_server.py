"""`sales-agent serve` on a free port, sharing the test process's database and sandbox.

Importable from any test folder (the root conftest puts tests/ on the path). The server gets
the module's database and the test's in-process sandbox, so a test can seed a draft with
the graph in-process and read Gmail back through its own connectors.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from sales_agent.db.api_keys import create_api_key
from sales_agent.services import Services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"serve never became ready:\n{log.read_text()}")


def server_env(services: Services, data_dir: Path) -> dict[str, str]:
    """This environment without SALES_AGENT_* settings, on the services' database and sandbox."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SALES_AGENT_") and k not in ("DATABASE_URL", "OPENAI_API_KEY")
    }
    assert services.sandbox_url is not None
    return {
        **clean,
        "DATABASE_URL": services.database_url,
        "SALES_AGENT_SANDBOX_URL": services.sandbox_url,
        "SALES_AGENT_EMBEDDINGS": "hash",
        "SALES_AGENT_DATA_DIR": str(data_dir),
    }


def operator_key(services: Services) -> str:
    """A new operator API key on the services' database (the server checks it there)."""
    with services.pool.connection() as conn:
        return create_api_key(conn, role="operator", name="tests", actor="tests").key


@contextmanager
def live_server(services: Services, workdir: Path) -> Iterator[str]:
    """Run the server until the block ends; yield its base URL."""
    port = free_port()
    log = workdir / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sales_agent", "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=server_env(services, workdir / "data"),
            cwd=workdir,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
