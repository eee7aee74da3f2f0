"""The chat model the LLM steps use, built from `SALES_AGENT_MODEL`.

`offline` means no model: every LLM step runs its deterministic implementation. Anything
else is a `provider:model` string handed to `init_chat_model`, so any provider LangChain
integrates works once its package is installed; `OPENAI_BASE_URL` points the `openai`
provider at an OpenAI-compatible server (Ollama, vLLM).
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel

from sales_agent.config import Settings
from sales_agent.errors import ConfigError

__all__ = ["OFFLINE", "chat_model_for"]

OFFLINE = "offline"
_ENV = "SALES_AGENT_MODEL"
# Local OpenAI-compatible servers ignore the key, but the OpenAI client refuses to start
# without one; this stands in only when a base URL is set and no key is.
_LOCAL_SERVER_KEY = "not-needed"


def _split(model: str) -> tuple[str, str]:
    provider, _, name = model.partition(":")
    if not provider.strip() or not name.strip():
        raise ConfigError(
            f"{_ENV}={model!r} is not `offline` or a `provider:model` string; "
            "set it to e.g. `openai:gpt-4.1-mini`, or `offline` to run without a model"
        )
    return provider.strip().lower(), name.strip()


def _openai_options(settings: Settings) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if settings.openai_base_url:
        options["base_url"] = settings.openai_base_url
    if settings.openai_api_key is not None:
        options["api_key"] = settings.openai_api_key.get_secret_value()
    elif settings.openai_base_url:
        options["api_key"] = _LOCAL_SERVER_KEY
    return options


def chat_model_for(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None for `offline`.

    Raises `ConfigError` for a malformed string, an unknown provider, a provider whose
    package is missing, or an `openai:` model without `OPENAI_API_KEY` (or a base URL).
    Building the model makes no network call.
    """
    if settings.model.strip().lower() == OFFLINE:
        return None
    # Imported here: the OpenAI client and LangChain's provider table take most of a second
    # to import, which every offline process (and every process's start) would pay.
    import openai
    from langchain.chat_models import init_chat_model

    provider, name = _split(settings.model)
    options = _openai_options(settings) if provider == "openai" else {}
    try:
        model = init_chat_model(name, model_provider=provider, **options)
    except ImportError as exc:
        raise ConfigError(
            f"{_ENV}={settings.model!r} needs the provider's package: "
            f"pip install langchain-{provider.replace('_', '-')} ({exc})"
        ) from None
    except ValueError as exc:  # init_chat_model's word for an unknown provider
        raise ConfigError(f"{_ENV}={settings.model!r}: {exc}") from None
    except openai.OpenAIError as exc:  # missing credentials
        raise ConfigError(
            f"{_ENV}={settings.model!r} needs OPENAI_API_KEY (or OPENAI_BASE_URL for an "
            f"OpenAI-compatible server): {exc}"
        ) from None
    # Without configurable fields init_chat_model returns the provider's chat model itself.
    assert isinstance(model, BaseChatModel)
    return model
