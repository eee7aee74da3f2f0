"""JSON logs: one object per line with time, level, logger, message and the trace id.

`log_config()` is a `logging.config.dictConfig` dictionary that routes every logger, uvicorn's
access and error logs included, through one handler: the access-line filter (request fields,
query-string secrets removed), the PII redaction filter (`policy.pii.PiiLogFilter`) and then
`JsonFormatter`. Pass it to `uvicorn.run(log_config=...)`
or apply it with `configure_json_logging()` in any other process (a worker).
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, unquote_plus

from sales_agent.policy.pii import redact_value
from sales_agent.trace import current_trace_id

__all__ = [
    "SECRET_PLACEHOLDER",
    "AccessFieldsFilter",
    "JsonFormatter",
    "configure_json_logging",
    "log_config",
    "redact_query_secrets",
]

# Attributes every LogRecord has; anything else on a record was passed as `extra=`.
_RECORD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
# uvicorn adds a colourised copy of its message; the plain one is enough.
_IGNORED_EXTRAS = frozenset({"color_message"})
# The loggers that log at the configured level; everyone else (httpx, psycopg, ...) only warns.
_OUR_LOGGERS = ("sales_agent", "uvicorn", "uvicorn.error", "uvicorn.access", "procrastinate")


SECRET_PLACEHOLDER = "[REDACTED]"
# A query parameter whose name holds one of these is a secret (`token`, `key`, `api_key`,
# `access_token`, `hapikey`, `client_secret`, `password`, `signature`, `session`, ...).
_SECRET_NAME = re.compile(r"token|key|secret|passw|signature|session|auth|credential", re.I)


def redact_query_secrets(path: str) -> str:
    """`path` with the value of every secret-looking query parameter replaced.

    The Pub/Sub push URL carries its verification token as `?token=`, and a client may put
    a key in the URL; an access log must not keep either.
    """
    base, separator, query = path.partition("?")
    if not separator:
        return path
    pairs = []
    for pair in query.split("&"):
        name, equals, value = pair.partition("=")
        if equals and _SECRET_NAME.search(unquote_plus(name)):
            value = SECRET_PLACEHOLDER
        pairs.append(f"{name}{equals}{value}")
    return f"{base}?{'&'.join(pairs)}"


class AccessFieldsFilter(logging.Filter):
    """Turns uvicorn's access-log arguments into request fields before they are redacted.

    uvicorn logs `'%s - "%s %s HTTP/%s" %d'` with (client, method, path, version, status);
    the redaction filter then folds the arguments into the message, so read them first.
    The path loses its query's secrets here (`redact_query_secrets`), in the message too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `client`, `method`, `path`, `status` to an access record; never drops one."""
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            # Secrets out first, on the raw query, where `&` still ends every value; then
            # decoded, so the PII redaction sees `a@b.example`, not `a%40b.example`.
            path = unquote(redact_query_secrets(str(path)))
            record.args = (client, method, path, version, status)
            record.client = client
            record.method = method
            record.path = path
            record.status = status
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record; extra fields are redacted like the message."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a single line of JSON."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "trace_id": getattr(record, "trace_id", None) or current_trace_id(),
        }
        extras = {
            key: value
            for key, value in vars(record).items()
            if key not in _RECORD_ATTRS and key not in _IGNORED_EXTRAS and key not in entry
        }
        # The PII filter redacts the message and tracebacks; extras need the same treatment.
        entry.update(redact_value(extras))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, default=str, ensure_ascii=False)


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A dictConfig for JSON logs on standard error, PII redacted, for uvicorn or any process."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "access_fields": {"()": AccessFieldsFilter},
            "pii": {"()": "sales_agent.policy.pii.PiiLogFilter"},
        },
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                # Order matters: read uvicorn's arguments before redaction folds them away.
                "filters": ["access_fields", "pii"],
            }
        },
        "root": {"level": "WARNING", "handlers": ["json"]},
        # No handlers of their own: every record reaches the root's one JSON handler.
        "loggers": {
            name: {"level": level, "handlers": [], "propagate": True} for name in _OUR_LOGGERS
        },
    }


def configure_json_logging(level: str = "INFO") -> None:
    """Switch this process to JSON logs (replaces the root logger's handlers)."""
    logging.config.dictConfig(log_config(level))
