"""Secrets at rest: connected accounts' tokens, encrypted with `SALES_AGENT_SECRET_KEY`.

The setting holds one or more Fernet keys, comma-separated, newest first (from the
environment or Secret Manager as a `gcp-secret://` reference). `cryptography`'s MultiFernet
encrypts with the first key and decrypts with any of them, so rotating is: put a new key in
front, restart, run `sales-agent auth rotate-key` (re-encrypts every stored token with the
new key), then drop the old key.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from sales_agent.config import Settings
from sales_agent.errors import ConfigError

__all__ = ["SecretBox", "new_key", "secret_box"]

_HOW = "make one with `sales-agent auth new-key` and set SALES_AGENT_SECRET_KEY"


class SecretBox:
    """Encrypts and decrypts short secrets (tokens) with the configured keys."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ConfigError(f"SALES_AGENT_SECRET_KEY is empty: {_HOW}")
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError:
            raise ConfigError(
                "SALES_AGENT_SECRET_KEY: each comma-separated key must be a Fernet key "
                f"(32 url-safe base64-encoded bytes); {_HOW}"
            ) from None

    def encrypt(self, plaintext: str) -> str:
        """The ciphertext (a Fernet token, ASCII) of `plaintext`, under the newest key."""
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """The plaintext; a ConfigError when none of the keys opens it."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken:
            raise ConfigError(
                "a stored token cannot be decrypted with SALES_AGENT_SECRET_KEY: put back the "
                "key it was encrypted with (after the new one) or connect the account again",
                code="secret_key_mismatch",
            ) from None

    def rotate(self, ciphertext: str) -> str:
        """The same secret re-encrypted under the newest key (MultiFernet.rotate)."""
        try:
            return self._fernet.rotate(ciphertext.encode()).decode()
        except InvalidToken:
            raise ConfigError(
                "a stored token opens with none of the keys in SALES_AGENT_SECRET_KEY; "
                "keep the old key in the list until `sales-agent auth rotate-key` has run",
                code="secret_key_mismatch",
            ) from None


def secret_box(settings: Settings) -> SecretBox:
    """The box for the configured keys; a ConfigError saying how to set one when unset."""
    if settings.secret_key is None:
        raise ConfigError(
            f"connected accounts' tokens are encrypted at rest and need a key: {_HOW}",
            code="secret_key_missing",
        )
    raw = settings.secret_key.get_secret_value()
    return SecretBox([key.strip() for key in raw.split(",") if key.strip()])


def new_key() -> str:
    """A fresh Fernet key for SALES_AGENT_SECRET_KEY."""
    return Fernet.generate_key().decode()
