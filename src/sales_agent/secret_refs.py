"""Settings given as `gcp-secret://projects/P/secrets/S/versions/V`, read from Secret Manager.

Any setting may name a secret instead of holding it: the value is fetched once at start
through `google-cloud-secret-manager` (the service account's own credentials: on Cloud Run,
the service's identity) and kept for an hour, so a process that re-reads its settings does
not call Secret Manager each time. Only the reference is ever logged or shown in an
error, never the value.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from sales_agent.errors import ConfigError

__all__ = ["CACHE_SECONDS", "PREFIX", "SecretSource", "resolve_reference", "resolve_references"]

logger = logging.getLogger(__name__)

PREFIX = "gcp-secret://"
CACHE_SECONDS = 3600.0
_NAME = re.compile(r"projects/[^/\s]+/secrets/[^/\s]+/versions/[^/\s]+")


class SecretSource(Protocol):
    """What we call on Secret Manager's client (`SecretManagerServiceClient`)."""

    def access_secret_version(self, *, name: str) -> Any:
        """The secret version's payload (`.payload.data`, bytes)."""


def _client() -> SecretSource:
    from google.cloud import secretmanager

    client: SecretSource = secretmanager.SecretManagerServiceClient()
    return client


_cache: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()


def resolve_reference(
    reference: str,
    *,
    client_factory: Callable[[], SecretSource] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """The secret named by a `gcp-secret://` reference (from the cache for an hour)."""
    name = reference.removeprefix(PREFIX)
    if not _NAME.fullmatch(name):
        raise ConfigError(
            f"{reference!r} is not a secret reference: write "
            "gcp-secret://projects/PROJECT/secrets/NAME/versions/VERSION (VERSION may be latest)"
        )
    with _lock:
        cached = _cache.get(name)
        if cached is not None and clock() - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            response = (client_factory or _client)().access_secret_version(name=name)
            value = bytes(response.payload.data).decode("utf-8")
        except Exception as exc:  # any failure of the client: say which secret, never a value
            raise ConfigError(
                f"could not read the secret {name} ({type(exc).__name__}): check that it "
                "exists and that this service's account has roles/secretmanager.secretAccessor"
            ) from None
        _cache[name] = (clock(), value)
    logger.info("read secret %s from Secret Manager", name)
    return value


def resolve_references(
    values: Mapping[str, Any], *, client_factory: Callable[[], SecretSource] | None = None
) -> dict[str, Any]:
    """`values` with every `gcp-secret://` string replaced by the secret it names."""
    return {
        key: resolve_reference(value, client_factory=client_factory)
        if isinstance(value, str) and value.startswith(PREFIX)
        else value
        for key, value in values.items()
    }
