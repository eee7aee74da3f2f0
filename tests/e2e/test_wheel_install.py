"""What the image does, without a container engine: build the wheel, install it into a fresh
virtualenv, run `sales-agent serve --no-worker` and `sales-agent worker` from there.

The Dockerfile's steps are `pip wheel --no-deps .` then installing that wheel with the pinned
set into a new virtualenv. Installing the ~130 pinned dependencies afresh would take many
minutes and the network on every CI run, so the fresh virtualenv gets them from the one the
tests run in: a `.pth` line appends that environment's site-packages *after* the new one
(its own `.pth` files, including an editable install of this checkout, are not processed).
What this proves is what can break between a source tree and an image: that the wheel alone
carries the package, its migrations, prompts, sandbox data and static files, and that its
console script starts the API and a worker that answer on the database; the test checks
that the code running is the wheel's, not the checkout's.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import time
import venv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sales_agent.bench.processes import free_port, process_env, wait_until_up
from sales_agent.services import Services

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding the wheel built from this checkout; its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(work / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = (work / "dist").glob("sales_agent-*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "_pinned_set.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--ignore-installed",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return env_dir / "bin"


def test_the_wheel_carries_the_package_and_its_data(installed: Path) -> None:
    probe = (
        "import sales_agent, pathlib; root = pathlib.Path(sales_agent.__file__).parent; "
        "print(root); "
        "print(len(list((root / 'db' / 'migrations' / 'versions').glob('0*.py')))); "
        "print(len(list((root / 'sandbox' / 'data').glob('*.json'))))"
    )
    env = {"PATH": str(installed), "HOME": str(installed.parent)}
    out = subprocess.run(
        [installed / "python", "-c", probe], check=True, capture_output=True, text=True, env=env
    ).stdout.split()
    assert Path(out[0]).is_relative_to(installed.parent), "the checkout ran, not the wheel"
    migrations_here = len(list((ROOT / "src/sales_agent/db/migrations/versions").glob("0*.py")))
    assert int(out[1]) == migrations_here and int(out[2]) > 0


@pytest.fixture
def processes(
    installed: Path, services: Services, tmp_path: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes], subprocess.Popen[bytes]]]:
    env = process_env(services, tmp_path / "data")
    env.pop("PYTHONPATH", None)  # the wheel's code, not the checkout's
    port = free_port()
    started = []
    for name, command in (
        ("api", ["serve", "--no-worker", "--port", str(port)]),
        ("worker", ["worker", "--heartbeat", "1"]),
    ):
        log = (tmp_path / f"{name}.log").open("wb")
        started.append(
            subprocess.Popen([installed / "sales-agent", *command], env=env, stdout=log, stderr=log)
        )
    try:
        yield f"http://127.0.0.1:{port}", started[0], started[1]
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=30)


def test_the_installed_console_script_runs_the_api_and_a_worker(
    processes: tuple[str, subprocess.Popen[bytes], subprocess.Popen[bytes]],
    services: Services,
    tmp_path: Path,
) -> None:
    url, api, worker = processes
    wait_until_up(f"{url}/health", api, tmp_path / "api.log", timeout=120)
    assert httpx.get(f"{url}/health").json()["status"] == "ok"
    deadline = time.monotonic() + 60
    beats = 0
    while time.monotonic() < deadline and not beats:
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-2000:]
        with services.pool.connection() as conn:
            row = conn.execute("SELECT count(*) AS n FROM worker_heartbeats").fetchone()
        beats = row["n"] if row else 0
        time.sleep(0.5)
    assert beats >= 1, "the worker never beat"
    ready = httpx.get(f"{url}/ready")
    assert ready.status_code == 200, ready.text
