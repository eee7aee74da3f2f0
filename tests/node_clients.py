"""npm packages for tests that run the ecosystem's JavaScript clients with node.

Installed at test time from the registry npm is configured for, never committed: into
`~/.cache/sales-agent/node-clients/<name>` (or `$SALES_AGENT_NODE_CLIENTS`), reused while
its `package.json` pins the same versions, so a CI cache of `~/.cache` skips the download.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

__all__ = ["NODE", "cache_root", "installed", "npm", "run_node_script"]

NODE = shutil.which("node")
NPM = shutil.which("npm")


def cache_root() -> Path:
    """Where installed packages are kept between runs."""
    configured = os.environ.get("SALES_AGENT_NODE_CLIENTS")
    return Path(configured) if configured else Path.home() / ".cache/sales-agent/node-clients"


def npm(*args: str, cwd: Path, timeout: float = 900) -> None:
    """Run npm (or npx, with `args[0] == "npx"`) in `cwd`; fail the test with its output."""
    if NODE is None or NPM is None:
        pytest.fail("node and npm are needed for the JS client tests: apt-get install nodejs npm")
    command = [NPM, *args] if args[0] != "npx" else [NPM, "exec", "--yes", "--", *args[1:]]
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(args)} in {cwd} failed:\n{done.stderr[-3000:]}")


def installed(name: str, dependencies: dict[str, str]) -> Path:
    """A folder whose `node_modules` holds exactly `dependencies` (installing them if needed)."""
    folder = cache_root() / name
    folder.mkdir(parents=True, exist_ok=True)
    manifest = json.dumps({"private": True, "dependencies": dependencies}, indent=1)
    package = folder / "package.json"
    if package.exists() and package.read_text() == manifest and (folder / "node_modules").exists():
        return folder
    package.write_text(manifest + "\n")  # rewritten: a half-finished install is redone
    npm("install", "--no-audit", "--no-fund", "--loglevel=error", cwd=folder)
    package.write_text(manifest)
    return folder


def run_node_script(
    script: Path, packages: Path, workdir: Path, env: dict[str, str], *, timeout: float = 300
) -> str:
    """Run an ES module with `packages`' node_modules in reach; its stdout (fail on an error)."""
    assert NODE is not None
    copy = workdir / script.name
    shutil.copy(script, copy)
    link = workdir / "node_modules"
    if not link.exists():
        link.symlink_to(packages / "node_modules", target_is_directory=True)
    done = subprocess.run(
        [NODE, str(copy)],
        cwd=workdir,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"node {script.name} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return done.stdout
