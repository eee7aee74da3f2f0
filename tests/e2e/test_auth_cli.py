"""`sales-agent auth`: a local install connects Google through a loopback redirect.

The command prints the consent URL (`--no-browser`); the test plays the browser with httpx,
following it through the sandbox's consent stand-in to the command's loopback server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from connect_helpers import KEY as OLD_KEY
from connect_helpers import google_env, google_settings
from sales_agent.connectors.account_tokens import AccountTokens
from sales_agent.connectors.google_api import GOOGLE_SCOPES
from sales_agent.errors import ConfigError
from sales_agent.secret_box import SecretBox
from sales_agent.services import Services

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "sales_agent"]


@pytest.fixture
def env(
    services: Services, cli_env: Callable[..., dict[str, str]], workdir: Path
) -> dict[str, str]:
    assert services.sandbox_url is not None
    return cli_env(
        DATABASE_URL=services.database_url,
        SALES_AGENT_DATA_DIR=str(workdir / "data"),
        SALES_AGENT_SANDBOX_URL=services.sandbox_url,
        SALES_AGENT_OPERATOR_EMAIL=services.settings.operator_email,
        **google_env(services.sandbox_url),
    )


def test_auth_google_connects_through_a_loopback_redirect(
    env: dict[str, str], services: Services, workdir: Path
) -> None:
    process = subprocess.Popen(
        [*CLI, "auth", "google", "--no-browser", "--timeout", "60", "--actor", "dana"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=workdir,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith(f"{services.sandbox_url}/o/oauth2/auth?"), url
        assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in url

        landed = httpx.get(url, follow_redirects=True, timeout=30)  # the browser's part

        assert landed.status_code == 200 and "return to the terminal" in landed.text
        assert landed.url.host == "127.0.0.1" and "code" in landed.url.params
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert f"connected {services.settings.operator_email}" in stderr
    with services.pool.connection() as conn:
        row = conn.execute("SELECT * FROM connected_accounts WHERE provider = 'google'").fetchone()
    assert row is not None and row["connected_by"] == "dana"
    assert row["scopes"] == list(GOOGLE_SCOPES)
    assert AccountTokens(google_settings(services), services.pool).google_refresh_token()

    # check-connections reads the connected account too (no refresh token in the environment).
    checked = subprocess.run(
        [*CLI, "check-connections", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    gmail = json.loads(checked.stdout)[0]
    assert (gmail["service"], gmail["target"], gmail["authorized"]) == ("gmail", "Gmail API", True)


def test_rotate_key_re_encrypts_under_the_newest_key(
    env: dict[str, str], services: Services, workdir: Path
) -> None:
    with services.pool.connection() as conn:
        conn.execute(
            "INSERT INTO connected_accounts (provider, secret_ciphertext, connected_by) "
            "VALUES ('hubspot', %s, 'tests') ON CONFLICT (provider) DO UPDATE "
            "SET secret_ciphertext = EXCLUDED.secret_ciphertext",
            (SecretBox([OLD_KEY]).encrypt("pat-rotate-me"),),
        )
    made = subprocess.run(
        [*CLI, "auth", "new-key"], capture_output=True, text=True, env=env, cwd=workdir
    )
    new = made.stdout.strip()
    assert made.returncode == 0 and new != OLD_KEY

    rotated = subprocess.run(
        [*CLI, "auth", "rotate-key"],
        capture_output=True,
        text=True,
        env={**env, "SALES_AGENT_SECRET_KEY": f"{new},{OLD_KEY}"},
        cwd=workdir,
    )

    assert rotated.returncode == 0, rotated.stderr
    with services.pool.connection() as conn:
        row = conn.execute(
            "SELECT secret_ciphertext FROM connected_accounts WHERE provider = 'hubspot'"
        ).fetchone()
    assert row is not None
    assert SecretBox([new]).decrypt(row["secret_ciphertext"]) == "pat-rotate-me"
    with pytest.raises(ConfigError):
        SecretBox([OLD_KEY]).decrypt(row["secret_ciphertext"])
