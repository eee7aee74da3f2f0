"""The Google OAuth settings that point the whole flow at the sandbox (connect tests)."""

from __future__ import annotations

from sales_agent.config import Settings, load_settings
from sales_agent.secret_box import new_key
from sales_agent.services import Services

__all__ = ["KEY", "google_env", "google_settings"]

KEY = new_key()


def google_env(sandbox_url: str) -> dict[str, str]:
    """The OAuth client and Google's endpoints, all on the sandbox."""
    return {
        "SALES_AGENT_GOOGLE_CLIENT_ID": "sandbox-client.apps.googleusercontent.com",
        "SALES_AGENT_GOOGLE_CLIENT_SECRET": "sandbox-secret",
        "SALES_AGENT_GOOGLE_AUTH_URI": f"{sandbox_url}/o/oauth2/auth",
        "SALES_AGENT_GOOGLE_TOKEN_URI": f"{sandbox_url}/token",
        "SALES_AGENT_GOOGLE_API_URL": sandbox_url,
        "SALES_AGENT_SECRET_KEY": KEY,
    }


def google_settings(services: Services, **overrides: object) -> Settings:
    """The server's settings, for building clients in this process."""
    assert services.sandbox_url is not None
    env = google_env(services.sandbox_url)
    return load_settings(
        database_url=services.database_url,
        sandbox_url=services.sandbox_url,
        operator_email=services.settings.operator_email,
        google_client_id=env["SALES_AGENT_GOOGLE_CLIENT_ID"],
        google_client_secret=env["SALES_AGENT_GOOGLE_CLIENT_SECRET"],
        google_token_uri=env["SALES_AGENT_GOOGLE_TOKEN_URI"],
        google_api_url=services.sandbox_url,
        secret_key=KEY,
        _env_file=None,
        **overrides,
    )
