"""Process settings: one pydantic-settings `Settings`, read from the environment and `.env`.

Precedence is explicit value > environment > `.env` > default. A user's mistake (a bad or
missing value) becomes a `ConfigError` naming the variable, never a traceback.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

from sales_agent.domain.approval import InterruptShape
from sales_agent.domain.send_window import SendWindowRules
from sales_agent.domain.sequence import Cadence
from sales_agent.domain.slots import SlotRules
from sales_agent.errors import ConfigError
from sales_agent.secret_refs import resolve_references

# Read from the environment as "a,b,c" (or a JSON list) rather than JSON only.
CommaList = Annotated[tuple[str, ...], NoDecode]

__all__ = [
    "ENV_PREFIX",
    "EmbeddingsProvider",
    "Mode",
    "Settings",
    "get_settings",
    "load_settings",
    "sandbox_settings",
]

ENV_PREFIX = "SALES_AGENT_"


class Mode(enum.StrEnum):
    """What the agent may do with an approved draft."""

    DRAFT_ONLY = "DRAFT_ONLY"
    SEND_ALLOWED = "SEND_ALLOWED"


class EmbeddingsProvider(enum.StrEnum):
    """Where memory's vectors come from; the vector dimension follows the provider."""

    OPENAI = "openai"
    LOCAL = "local"
    HASH = "hash"


class Settings(BaseSettings):
    """Everything a process needs to start; per-run knobs live in the graph's context."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "SALES_AGENT_DATABASE_URL"),
        description="Postgres URL (with pgvector). Unset: the embedded Postgres under data_dir.",
    )
    data_dir: Path = Field(
        default=Path(".data"),
        description="Where the embedded Postgres and local state live.",
    )
    model: str = Field(
        default="offline",
        description="`offline` or a `provider:model` string that init_chat_model accepts.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_API_KEY", "SALES_AGENT_OPENAI_API_KEY"),
        description="OpenAI key: enables `openai:` models and the openai embeddings.",
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_BASE_URL", "SALES_AGENT_OPENAI_BASE_URL"),
        description="An OpenAI-compatible server (Ollama, vLLM) for models and embeddings.",
    )
    embeddings: EmbeddingsProvider | None = Field(
        default=None,
        description="`openai`, `local` (packaged MiniLM, offline) or `hash` (deterministic). "
        "Unset: openai when OPENAI_API_KEY is set, else local.",
    )
    sandbox_url: str | None = Field(
        default=None,
        description="URL of a running sandbox. Unset and no credentials: one starts in-process.",
    )
    operator_email: str = Field(
        default="dana@chaingepartners.example",
        description="The mailbox the agent drafts from (the operator).",
    )
    operator_name: str = Field(default="Dana Reyes", description="The operator's display name.")
    close_on_no: bool = Field(
        default=True,
        description="A lead who says no gets a two-line courteous close to approve (true) or "
        "nothing at all, only the CRM note (false). Never a pitch either way.",
    )
    voice_contrast: str | None = Field(
        default="Marcus Hale <marcus@brightlinegrowth.example>",
        description="Another writer's Sent mailbox (`Name <address>`, read from the sandbox only) "
        "whose mail measures how well a learned voice tells the operator apart; the default is "
        "the sandbox's second persona. Empty: no discrimination metric.",
    )
    timezone: str = Field(
        default="Europe/London", description="The operator's IANA time zone for meeting slots."
    )
    working_hours_start: int = Field(default=9, ge=0, le=23, description="First bookable hour.")
    working_hours_end: int = Field(default=17, ge=1, le=24, description="Hour slots must end by.")
    holiday_country: str = Field(
        default="GB", description="Country code whose public holidays are skipped."
    )
    slot_days_ahead: int = Field(
        default=3, ge=1, le=10, description="Business days ahead to look for meeting slots."
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where operators reach `serve`: CRM notes link to its inbox.",
    )
    approval_ttl_hours: int = Field(
        default=72, ge=1, description="Pending approvals older than this expire."
    )
    sequence_cadence_days: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(3, 5, 7),
        description="Business days before each follow-up of a sequence (the last repeats).",
    )
    sequence_max_touches: int = Field(
        default=3, ge=0, le=10, description="Follow-ups a sequence prepares at most."
    )
    operator_days_off: Annotated[tuple[date, ...], NoDecode] = Field(
        default=(),
        description="The operator's own holidays (ISO dates): not business days for sequences "
        "and no sends (on top of holiday_country's public holidays).",
    )
    send_window_start_hour: int = Field(
        default=9, ge=0, le=23, description="First hour (the lead's time) an approved send goes."
    )
    send_window_end_hour: int = Field(
        default=17, ge=1, le=24, description="Hour (the lead's time) sends stop for the day."
    )
    send_hourly_limit: int = Field(
        default=20,
        ge=1,
        description="Sends per hour from the mailbox, spread evenly (mailbox providers tolerate "
        "a few dozen an hour from one person; the daily cap is the global_daily quota).",
    )
    send_company_spacing_minutes: int = Field(
        default=15, ge=0, description="Minutes between two sends to the same company."
    )
    unsubscribe_link_days: int = Field(
        default=90, ge=1, description="Days an unsubscribe link in a sent message stays valid."
    )
    host: str = Field(default="127.0.0.1", description="Address `serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `serve` listens on.")
    max_body_bytes: int = Field(
        default=1_048_576, ge=1, description="Largest request body the server reads (else 413)."
    )
    hubspot_access_token: SecretStr | None = Field(
        default=None, description="HubSpot private-app token; unset uses the sandbox."
    )
    google_client_id: str | None = Field(default=None, description="OAuth client id.")
    google_client_secret: SecretStr | None = Field(default=None, description="OAuth secret.")
    google_refresh_token: SecretStr | None = Field(
        default=None,
        description="The operator's OAuth refresh token; optional: an account connected with "
        "`GET /auth/google/authorize` or `sales-agent auth google` is used first.",
    )
    google_auth_uri: str = Field(
        default="https://accounts.google.com/o/oauth2/auth",
        description="Google's consent screen (the sandbox's `/o/oauth2/auth` to test the flow).",
    )
    google_token_uri: str = Field(
        default="https://oauth2.googleapis.com/token",
        description="Google's token endpoint (the sandbox's `/token` to test the flow).",
    )
    google_api_url: str | None = Field(
        default=None,
        description="Base URL of the Google APIs with real credentials; unset: Google's. "
        "The sandbox's URL points a connected account's clients at the sandbox.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Fernet key(s) that encrypt connected accounts' tokens at rest and sign "
        "the one-click unsubscribe links, comma-separated, newest first (`sales-agent auth "
        "new-key` makes one).",
    )

    google_service_account_file: Path | None = Field(
        default=None,
        description="Service-account key (JSON) with domain-wide delegation, for read access.",
    )
    hubspot_app_secret: SecretStr | None = Field(
        default=None, description="HubSpot app secret that signs webhooks (signature v3)."
    )
    webhook_base_url: str | None = Field(
        default=None,
        description="The public base URL HubSpot calls (signature v3 signs the full URL); "
        "unset: the URL the request arrived on.",
    )
    pubsub_verification_token: SecretStr | None = Field(
        default=None,
        description="Shared token the Gmail Pub/Sub push subscription adds as `?token=`.",
    )
    pubsub_audience: str | None = Field(
        default=None,
        description="Audience of the OIDC token Pub/Sub push sends; set: a Google-signed JWT "
        "is required on /webhooks/gmail.",
    )
    pubsub_service_account: str | None = Field(
        default=None,
        description="The push subscription's service-account email the OIDC token must name.",
    )
    watch_interval_seconds: float = Field(
        default=60, gt=0, description="Seconds between polls of `sales-agent watch`."
    )
    api_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        le=300,
        description="Seconds one Gmail, Calendar, Drive or HubSpot request may take before it "
        "fails as a transient timeout (and is retried).",
    )
    hubspot_writable_properties: CommaList = Field(
        default=("hs_lead_status", "lifecyclestage"),
        description="Contact properties the agent may update (comma-separated); no others.",
    )
    drive_root_folder_id: str = Field(
        default="root", description="The Drive folder whose allowlisted sub-folders are read."
    )
    drive_allowed_prefixes: CommaList = Field(
        default=("CHAINge", "CP ", "Manifest"),
        description="Sub-folders of the root whose names start with one of these are read.",
    )
    drive_excluded_prefixes: CommaList = Field(
        default=("CP Closed",), description="...minus those starting with one of these."
    )
    drive_extra_folder_id: str | None = Field(
        default=None, description="One more folder id to read (e.g. the operator's own)."
    )

    risk_weights: dict[str, int] = Field(
        default={
            "pii_leak": 40,
            "confidential_content": 40,
            "prompt_injection": 30,
            "guardrail_violation": 35,
            "bounced_contact": 30,
            "forbidden_words": 20,
            "tone_mismatch": 15,
        },
        description="Points each risk factor adds to a draft's risk score (capped at 100); JSON.",
    )
    link_allowed_domains: CommaList = Field(
        default=("chaingepartners.example",),
        description="Domains a draft may link to (and their sub-domains); no others.",
    )

    cors_origins: CommaList = Field(
        default=(),
        description=(
            "Browser origins allowed to call `serve` (Studio, Agent Chat UI), e.g. "
            "https://smith.langchain.com,http://localhost:3000; none by default."
        ),
    )
    interrupt_shape: InterruptShape = Field(
        default="agent_inbox",
        description=(
            "The approval interrupt's shape: `agent_inbox` (Agent Inbox's HumanInterrupt) or "
            "`hitl_request` (the HITLRequest that Agent Chat UI renders)."
        ),
    )

    @field_validator(
        "cors_origins",
        "hubspot_writable_properties",
        "drive_allowed_prefixes",
        "drive_excluded_prefixes",
        "link_allowed_domains",
        "sequence_cadence_days",
        "operator_days_off",
        mode="before",
    )
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        # Environment values arrive as "a,b,c"; a JSON list also works.
        if isinstance(value, str) and not value.lstrip().startswith("["):
            # Leading spaces only: a trailing one is meaningful in a prefix ("CP " is not "CPU").
            return tuple(part.lstrip() for part in value.split(",") if part.strip())
        return value

    @field_validator("sequence_cadence_days")
    @classmethod
    def _cadence_days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or not all(1 <= days <= 60 for days in value):
            raise ValueError(f"list business days from 1 to 60, e.g. 3,5,7 (got {list(value)})")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not a known IANA time zone") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must start with postgresql:// (for example postgresql://u:p@h/db)")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("sandbox_url", "webhook_base_url", "google_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @model_validator(mode="before")
    @classmethod
    def _secret_references(cls, data: Any) -> Any:
        # Any setting may be gcp-secret://projects/P/secrets/S/versions/V (see secret_refs).
        return resolve_references(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.working_hours_end <= self.working_hours_start:
            raise ValueError(
                "working_hours_end must be after working_hours_start "
                f"({self.working_hours_start} >= {self.working_hours_end})"
            )
        if self.send_window_end_hour <= self.send_window_start_hour:
            raise ValueError(
                "send_window_end_hour must be after send_window_start_hour "
                f"({self.send_window_start_hour} >= {self.send_window_end_hour})"
            )
        client = [self.google_client_id, self.google_client_secret]
        if (any(client) or self.google_refresh_token) and not all(client):
            raise ValueError(
                "google credentials are partial: set SALES_AGENT_GOOGLE_CLIENT_ID and "
                "SALES_AGENT_GOOGLE_CLIENT_SECRET together (the refresh token is optional: "
                "connect the account with `sales-agent auth google`)"
            )
        return self

    @property
    def uses_real_google(self) -> bool:
        """True when an OAuth client is configured (otherwise Google calls hit the sandbox).

        Its refresh token comes from a connected account, else SALES_AGENT_GOOGLE_REFRESH_TOKEN.
        """
        return self.google_client_id is not None

    @property
    def uses_real_hubspot(self) -> bool:
        """True when a HubSpot token is configured (otherwise HubSpot calls hit the sandbox)."""
        return self.hubspot_access_token is not None

    @property
    def embeddings_provider(self) -> EmbeddingsProvider:
        """The configured provider, or the default: openai with a key, local without."""
        if self.embeddings is not None:
            return self.embeddings
        return EmbeddingsProvider.OPENAI if self.openai_api_key else EmbeddingsProvider.LOCAL

    def slot_rules(self) -> SlotRules:
        """The operator's meeting-slot rules: time zone, working hours, holidays, days ahead."""
        return SlotRules(
            timezone=self.timezone,
            day_start_hour=self.working_hours_start,
            day_end_hour=self.working_hours_end,
            days_ahead=self.slot_days_ahead,
            holiday_country=self.holiday_country,
        )

    def sequence_cadence(self) -> Cadence:
        """The default cadence of a sequence (a contact's override takes precedence)."""
        return Cadence(days=self.sequence_cadence_days, max_touches=self.sequence_max_touches)

    def send_rules(self, daily_limit: int) -> SendWindowRules:
        """The send-window rules: hours, holidays, pace, company spacing and `daily_limit`."""
        return SendWindowRules(
            operator_timezone=self.timezone,
            start_hour=self.send_window_start_hour,
            end_hour=self.send_window_end_hour,
            holiday_country=self.holiday_country,
            extra_holidays=frozenset(self.operator_days_off),
            hourly_limit=self.send_hourly_limit,
            daily_limit=daily_limit,
            company_spacing=timedelta(minutes=self.send_company_spacing_minutes),
        )

    @property
    def needs_sandbox(self) -> bool:
        """True when some service has no credentials and no external sandbox is configured."""
        return self.sandbox_url is None and not (self.uses_real_google and self.uses_real_hubspot)


def _env_name(field: str) -> str:
    """The variable a person sets for `field`, as they would type it."""
    unprefixed = {"database_url", "openai_api_key", "openai_base_url"}
    if field.lower() in unprefixed:
        return field.upper()
    if field.startswith(ENV_PREFIX):
        return field
    return f"{ENV_PREFIX}{field.upper()}"


def load_settings(**overrides: Any) -> Settings:
    """Read settings, turning validation failures into one `ConfigError` line per problem."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            location = error.get("loc") or ()
            field = str(location[0]) if location else ""
            message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
            name = _env_name(field) if field else "settings"
            problems.append(f"{name}: {message}")
        raise ConfigError("; ".join(problems)) from None
    except SettingsError as exc:  # a value the environment source could not even decode
        raise ConfigError(f"settings: {exc}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()


def sandbox_settings() -> Settings:
    """Settings from the environment, but always on an in-process sandbox (no real APIs).

    What `demo`, the eval runner and the benchmarks run on: never a real mailbox or CRM.
    """
    return load_settings(
        sandbox_url=None,
        hubspot_access_token=None,
        google_client_id=None,
        google_client_secret=None,
        google_refresh_token=None,
    )
