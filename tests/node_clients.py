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

__all__ = ["NODE", "installed", "run_node_script"]

NODE = shutil.which("node")
NPM = shutil.which("npm")


def _root() -> Path:
    configured = os.environ.get("SALES_AGENT_NODE_CLIENTS")
    return Path(configured) if configured else Path.home() / ".cache/sales-agent/node-clients"


def installed(name: str, dependencies: dict[str, str]) -> Path:
    """A folder whose `node_modules` holds exactly `dependencies` (installing them if needed)."""
    if NODE is None or NPM is None:
        pytest.fail("node and npm are needed for the JS client tests: apt-get install nodejs npm")
    folder = _root() / name
    folder.mkdir(parents=True, exist_ok=True)
    manifest = json.dumps({"private": True, "dependencies": dependencies}, indent=1)
    package = folder / "package.json"
    if package.exists() and package.read_text() == manifest and (folder / "node_modules").exists():
        return folder
    package.write_text(manifest)
    done = subprocess.run(
        [NPM, "install", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        package.unlink()  # the next run tries again
        pytest.fail(f"npm install in {folder} failed:\n{done.stderr[-3000:]}")
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
