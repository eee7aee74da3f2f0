"""`sales-agent` subprocesses for the benchmarks, on the bench's database and sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sales_agent.services import Services

__all__ = ["sales_agent_processes"]


def _env(services: Services, data_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    """The environment without our settings, then only what the bench's processes need."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SALES_AGENT_") and k not in ("DATABASE_URL", "OPENAI_API_KEY")
    }
    assert services.sandbox_url is not None, "the benches run on the in-process sandbox"
    return {
        **clean,
        "DATABASE_URL": services.database_url,
        "SALES_AGENT_SANDBOX_URL": services.sandbox_url,
        "SALES_AGENT_EMBEDDINGS": services.settings.embeddings_provider.value,
        "SALES_AGENT_DATA_DIR": str(data_dir),
        "SALES_AGENT_OPERATOR_EMAIL": services.settings.operator_email,
        **extra,
    }


@contextmanager
def sales_agent_processes(
    services: Services, workdir: Path, commands: list[list[str]], env: dict[str, str] | None = None
) -> Iterator[list[tuple[subprocess.Popen[bytes], Path]]]:
    """Run `sales-agent ARGS` for each of `commands` until the block ends; each with its log."""
    environment = _env(services, workdir / "data", env or {})
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
