"""deploy/cloudrun/deploy.sh: migrations run to completion before the API and the workers,
each on the same image with Cloud SQL's socket and Secret Manager's secrets.

`DRY_RUN=1` prints the gcloud commands. Where the Cloud SDK is installed (as on this
project's machines), gcloud also parses each printed command, with an empty configuration
so it can reach no project: it must get as far as asking for an account, which it does only
after every flag was accepted (a misspelt flag fails earlier, as "unrecognized arguments").
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "cloudrun" / "deploy.sh"


@pytest.fixture
def commands(tmp_path: Path) -> list[list[str]]:
    config = SCRIPT.parent / "dryrun-test.env"
    shutil.copy(SCRIPT.parent / "example.env", config)
    try:
        out = subprocess.run(
            ["bash", str(SCRIPT), "dryrun-test"],
            env={**os.environ, "DRY_RUN": "1"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        config.unlink()
    return [shlex.split(line) for line in out.splitlines()]


def test_migrations_first_then_the_api_service_then_the_worker_pool(
    commands: list[list[str]],
) -> None:
    heads = [" ".join(command[:5]) for command in commands]
    assert heads == [
        "gcloud run jobs deploy sales-agent-migrate",
        "gcloud run jobs execute sales-agent-migrate",
        "gcloud run deploy sales-agent-api --project",
        "gcloud beta run worker-pools deploy",
    ]
    deploys = [commands[0], commands[2], commands[3]]
    for command in deploys:
        text = " ".join(command)
        assert "--set-cloudsql-instances my-project:europe-west2:sales-agent-db" in text
        assert "DATABASE_URL=database-url:latest" in text
        # Connected accounts' tokens are encrypted with this key; the refresh token is optional.
        assert "SALES_AGENT_SECRET_KEY=secret-key:latest" in text
        assert "SALES_AGENT_GOOGLE_REFRESH_TOKEN" not in text
    assert commands[0][commands[0].index("--args") + 1] == "db,upgrade"
    assert "--wait" in commands[1]
    assert commands[2][commands[2].index("--args") + 1].startswith("serve,--no-worker")
    assert commands[3][commands[3].index("--args") + 1].startswith("worker")
    assert "--scaling" in commands[3]


def test_a_missing_environment_file_is_a_clear_error() -> None:
    done = subprocess.run(["bash", str(SCRIPT), "nowhere"], capture_output=True, text=True)
    assert done.returncode == 2 and "example.env" in done.stderr


def test_gcloud_accepts_every_flag(commands: list[list[str]], tmp_path: Path) -> None:
    gcloud = shutil.which("gcloud")
    if gcloud is None:  # the dry-run test above still checks the commands' shape
        return
    env = {
        **os.environ,
        "CLOUDSDK_CONFIG": str(tmp_path / "gcloud"),
        "CLOUDSDK_CORE_DISABLE_PROMPTS": "1",
    }
    for command in commands:
        done = subprocess.run(
            [gcloud, *command[1:]], capture_output=True, text=True, env=env, timeout=120
        )
        assert "unrecognized arguments" not in done.stderr, done.stderr
        assert "authenticated account" in done.stderr or "credentialed" in done.stderr, done.stderr
