"""How the HubSpot connector calls HubSpot: the client, retries, and errors in our terms."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import urllib3
from hubspot import HubSpot
from hubspot.crm.associations.v4 import ApiException as AssociationsApiException
from hubspot.crm.companies import ApiException as CompaniesApiException
from hubspot.crm.contacts import ApiException as ContactsApiException
from hubspot.crm.deals import ApiException as DealsApiException
from hubspot.crm.objects.notes import ApiException as NotesApiException
from hubspot.crm.objects.tasks import ApiException as TasksApiException
from hubspot.crm.owners import ApiException as OwnersApiException
from hubspot.discovery.discovery_base import DiscoveryBase
from hubspot.marketing.forms import ApiException as FormsApiException

from sales_agent.connectors.retry import (
    DEFAULT_RETRY,
    TRANSIENT_STATUSES,
    RetryPolicy,
    TransientConnectorError,
    call_with_retry,
    parse_retry_after,
)
from sales_agent.errors import ConnectorError

__all__ = ["SERVICE", "TIMEOUT_SECONDS", "HubSpotBase", "PropertyNotAllowedError", "hubspot_api"]

T = TypeVar("T")

SERVICE = "hubspot"
TIMEOUT_SECONDS = 20.0
# Each generated sub-package has its own exception class.
_API_EXCEPTIONS = (
    ContactsApiException,
    CompaniesApiException,
    DealsApiException,
    NotesApiException,
    TasksApiException,
    OwnersApiException,
    AssociationsApiException,
    FormsApiException,
)


class PropertyNotAllowedError(ConnectorError):
    """A contact property update outside the configured allowlist; nothing was sent."""

    code = "hubspot_property_not_allowed"

    def __init__(self, names: Iterable[str], allowed: Iterable[str]) -> None:
        refused, permitted = ", ".join(sorted(names)), ", ".join(sorted(allowed)) or "none"
        super().__init__(
            SERVICE,
            f"refusing to update contact properties {refused}: only {permitted} may be written "
            "(add them to SALES_AGENT_HUBSPOT_WRITABLE_PROPERTIES to allow them)",
        )
        self.names = sorted(names)


class _CachedApiFactory:
    """Builds each HubSpot API object once and hands out the same one afterwards.

    The client's discovery properties (`crm.contacts.basic_api`, ...) build a new
    Configuration and ApiClient on every access: a new connection pool (no keep-alive), a
    package-metadata read and a pass over every logger. That cost ~15 ms per call here; the
    objects are thread-safe to share (urllib3's pool is), so one per API is enough.
    """

    def __init__(self) -> None:
        self._apis: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def __call__(self, package: Any, api_name: str, config: dict[str, Any]) -> Any:
        key = (package.__name__, api_name)
        with self._lock:
            if key not in self._apis:
                self._apis[key] = DiscoveryBase._default_api_factory(package, api_name, config)
            return self._apis[key]


def hubspot_api(access_token: str, host: str | None = None) -> Any:
    """Build the HubSpot client; `host` points it at the sandbox. Its own retries are off."""
    options: dict[str, Any] = {
        "access_token": access_token,
        "retry": urllib3.Retry(total=0),
        "api_factory": _CachedApiFactory(),
    }
    if host is not None:
        options["host"] = host.rstrip("/")
    return HubSpot(**options)


def _error_message(error: Exception) -> str:
    """HubSpot's own `message` from the JSON body, else the HTTP reason phrase."""
    try:
        return str(json.loads(getattr(error, "body", None) or "")["message"])
    except (ValueError, KeyError, TypeError):
        return str(getattr(error, "reason", None) or "no reason given")


def _translate(error: Exception) -> ConnectorError:
    status = int(getattr(error, "status", 0) or 0)
    message = f"HTTP {status}: {_error_message(error)}"
    if status in TRANSIENT_STATUSES:
        headers = getattr(error, "headers", None) or {}
        retry_after = parse_retry_after(headers.get("Retry-After"))
        return TransientConnectorError(SERVICE, message, status=status, retry_after=retry_after)
    if status == 401:
        message += " (check SALES_AGENT_HUBSPOT_ACCESS_TOKEN)"
    return ConnectorError(SERVICE, message, status=status or None)


class HubSpotBase:
    """The client library and one way to call it: paced, retried, errors translated."""

    def __init__(
        self,
        api: Any,
        *,
        retry: RetryPolicy = DEFAULT_RETRY,
        writable_properties: Iterable[str] = (),
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._api = api
        self._retry = retry
        self._writable = frozenset(writable_properties)
        self._timeout = timeout

    def _call(self, call: Callable[[], T], *, idempotent: bool = True) -> T:
        """One API call through the shared wrapper; creates pass `idempotent=False`."""

        def once() -> T:
            try:
                return call()
            except _API_EXCEPTIONS as error:
                raise _translate(error) from error
            except urllib3.exceptions.NewConnectionError as error:  # refused: nothing sent
                message = f"connection refused: {error!r}"
                raise TransientConnectorError(SERVICE, message, may_have_run=False) from error
            except urllib3.exceptions.HTTPError as error:  # reset, timed out: it may have acted
                raise TransientConnectorError(SERVICE, f"connection failed: {error!r}") from error

        return call_with_retry(once, self._retry, service=SERVICE, idempotent=idempotent)
