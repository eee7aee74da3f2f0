"""`gcp-secret://` settings: read through the Secret Manager client, cached an hour, never shown."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pytest

from sales_agent import secret_refs
from sales_agent.config import load_settings
from sales_agent.errors import ConfigError

REFERENCE = "gcp-secret://projects/acme/secrets/openai-key/versions/latest"
VALUE = "sk-test-Qm81xTr9"


@dataclass
class Payload:
    data: bytes


@dataclass
class Response:
    payload: Payload


@dataclass
class FakeSecretManager:
    """Answers `access_secret_version` as the real client does; counts the calls."""

    secrets: dict[str, str]
    calls: list[str] = field(default_factory=list)

    def access_secret_version(self, *, name: str) -> Any:
        self.calls.append(name)
        if name not in self.secrets:
            raise LookupError("404 Secret not found")
        return Response(Payload(self.secrets[name].encode()))


@pytest.fixture
def manager(monkeypatch: pytest.MonkeyPatch) -> FakeSecretManager:
    fake = FakeSecretManager({REFERENCE.removeprefix("gcp-secret://"): VALUE})
    monkeypatch.setattr(secret_refs, "_client", lambda: fake)
    monkeypatch.setattr(secret_refs, "_cache", {})
    return fake


def test_a_setting_may_name_a_secret(
    manager: FakeSecretManager, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = load_settings(openai_api_key=REFERENCE, _env_file=None)
    assert settings.openai_api_key is not None
    assert settings.openai_api_key.get_secret_value() == VALUE
    assert VALUE not in repr(settings) and VALUE not in caplog.text
    assert "projects/acme/secrets/openai-key/versions/latest" in caplog.text


def test_a_secret_is_read_once_an_hour(manager: FakeSecretManager) -> None:
    now = [1000.0]
    for _ in range(3):
        assert secret_refs.resolve_reference(REFERENCE, clock=lambda: now[0]) == VALUE
    assert len(manager.calls) == 1
    now[0] += secret_refs.CACHE_SECONDS + 1
    secret_refs.resolve_reference(REFERENCE, clock=lambda: now[0])
    assert len(manager.calls) == 2


def test_a_missing_secret_or_a_bad_reference_is_a_clear_error(manager: FakeSecretManager) -> None:
    with pytest.raises(ConfigError, match="secretAccessor") as missing:
        load_settings(hubspot_access_token=REFERENCE.replace("openai", "hubspot"), _env_file=None)
    assert VALUE not in str(missing.value)
    with pytest.raises(ConfigError, match="versions/VERSION"):
        secret_refs.resolve_reference("gcp-secret://acme/openai-key")
