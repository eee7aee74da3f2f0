"""`sales-agent` subprocesses on a process's database and sandbox (benchmarks and tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from sales_agent.services import Services

__all__ = ["free_port", "process_env", "sales_agent_processes", "wait_until_up"]


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: Path, *, timeout: float = 60.0
) -> None:
    """Poll `url` until it answers 200; RuntimeError with the log's tail if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process exited early:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} never answered 200:\n{log.read_text()[-4000:]}")


def process_env(
    services: Services, data_dir: Path, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment without our settings, then only what a child process needs."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SALES_AGENT_") and k not in ("DATABASE_URL", "OPENAI_API_KEY")
    }
    assert services.sandbox_url is not None, "children share the in-process sandbox"
    return {
        **clean,
        "DATABASE_URL": services.database_url,
        "SALES_AGENT_SANDBOX_URL": services.sandbox_url,
        "SALES_AGENT_EMBEDDINGS": services.settings.embeddings_provider.value,
        "SALES_AGENT_DATA_DIR": str(data_dir),
        "SALES_AGENT_OPERATOR_EMAIL": services.settings.operator_email,
        **(extra or {}),
    }


@contextmanager
def sales_agent_processes(
    services: Services, workdir: Path, commands: list[list[str]], env: dict[str, str] | None = None
) -> Iterator[list[tuple[subprocess.Popen[bytes], Path]]]:
    """Run `sales-agent ARGS` for each of `commands` until the block ends; each with its log."""
    environment = process_env(services, workdir / "data", env)
    with ExitStack() as stack:
        started: list[tuple[subprocess.Popen[bytes], Path]] = []
        for i, args in enumerate(commands):
            log = workdir / f"{args[0]}-{i}.log"
            with log.open("w") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "sales_agent", *args],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=environment,
                    cwd=workdir,
                )
            stack.callback(_stop, process)
            started.append((process, log))
        yield started


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
